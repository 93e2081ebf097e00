module github.com/itil-go/itil

go 1.26.8

require (
	github.com/google/uuid v1.6.0
	github.com/looplab/fsm v1.0.3
	github.com/stretchr/testify v1.12.1
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
