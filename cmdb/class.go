package cmdb

import "github.com/itil-go/itil"

// Class is what kind of thing a configuration item is. Every class belongs
// to one Function of Service Operation, whose group supports the CI unless
// the CI names its own owner group. The zero value is no class, which a CI
// may not have. Its text form, in JSON and in queries, is the name in the
// list below ("virtual_machine").
type Class int8

// The classes, by function.
const (
	// Facilities management: the buildings and what keeps them running.
	ClassSite    Class = iota + 1 // a building or campus
	ClassRoom                     // a room of a site: a data hall, a wiring closet
	ClassRack                     // a rack in a room
	ClassPower                    // a power feed, UPS or distribution unit
	ClassCooling                  // a cooling unit
	// Technical management: the infrastructure.
	ClassServer         // a physical server
	ClassNetworkDevice  // a switch, router, firewall or load balancer
	ClassStorage        // a storage array or volume
	ClassVirtualMachine // a virtual machine
	ClassCluster        // a redundant group of CIs; it carries a Quorum, its members are "member_of" it
	// Application management: the software.
	ClassApplication // an application or a component of one
	ClassDatabase    // a database
	ClassQueue       // a message queue or broker
	// Service management: what the business buys.
	ClassBusinessService  // a service the business uses ("online shop")
	ClassTechnicalService // a service other services use ("DNS", "e-mail relay")
)

var classNames = itil.Names[Class]{Field: "class", List: []string{"",
	"site", "room", "rack", "power", "cooling",
	"server", "network_device", "storage", "virtual_machine", "cluster",
	"application", "database", "queue",
	"business_service", "technical_service",
}}

// Classes returns every class, in the order above.
func Classes() []Class {
	out := make([]Class, 0, len(classNames.List)-1)
	for c := range classNames.List[1:] {
		out = append(out, Class(c+1))
	}
	return out
}

// String returns the class's name, or "class(N)" for a value that is no
// class.
func (c Class) String() string { return classNames.String(c) }

// Valid reports whether c is one of the classes.
func (c Class) Valid() bool { return classNames.Valid(c) }

// ParseClass returns the class named s, or a *itil.ValidationError naming
// "class".
func ParseClass(s string) (Class, error) { return classNames.Parse(s) }

// MarshalText returns the class's name; a value that is no class is a
// *itil.ValidationError.
func (c Class) MarshalText() ([]byte, error) { return classNames.Marshal(c) }

// UnmarshalText decodes a class by name; any other text is a
// *itil.ValidationError naming "class", and leaves c as it was.
func (c *Class) UnmarshalText(b []byte) error { return classNames.Unmarshal(c, b) }

// Function is the Service Operation function that supports a class of CIs.
type Function int8

// The functions.
const (
	Facilities  Function = iota + 1 // facilities management: sites, rooms, racks, power, cooling
	Technical                       // technical management: servers, network, storage, VMs, clusters
	Application                     // application management: applications, databases, queues
	Service                         // service management: business and technical services
)

var functionNames = itil.Names[Function]{Field: "function", List: []string{"", "facilities", "technical", "application", "service"}}

// String returns "facilities", "technical", "application" or "service".
func (f Function) String() string { return functionNames.String(f) }

// Valid reports whether f is one of the functions.
func (f Function) Valid() bool { return functionNames.Valid(f) }

// MarshalText returns the function's name.
func (f Function) MarshalText() ([]byte, error) { return functionNames.Marshal(f) }

// UnmarshalText decodes a function by name.
func (f *Function) UnmarshalText(b []byte) error { return functionNames.Unmarshal(f, b) }

// Function returns the function that supports the class, or 0 for a value
// that is no class.
func (c Class) Function() Function {
	switch {
	case c >= ClassSite && c <= ClassCooling:
		return Facilities
	case c >= ClassServer && c <= ClassCluster:
		return Technical
	case c >= ClassApplication && c <= ClassQueue:
		return Application
	case c >= ClassBusinessService && c <= ClassTechnicalService:
		return Service
	}
	return 0
}

// The default support groups of the functions: a CI that names no owner
// group is owned by the group of its class's function (see
// Config.Groups).
const (
	GroupFacilities  = "facilities_management"
	GroupTechnical   = "technical_management"
	GroupApplication = "application_management"
	GroupService     = "service_management"
)

// DefaultGroup returns the default support group of the function:
// GroupFacilities, GroupTechnical, GroupApplication or GroupService.
func (f Function) DefaultGroup() string {
	switch f {
	case Facilities:
		return GroupFacilities
	case Technical:
		return GroupTechnical
	case Application:
		return GroupApplication
	case Service:
		return GroupService
	}
	return ""
}
