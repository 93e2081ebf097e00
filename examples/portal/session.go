package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// sessionCookie names the cookie that says who is signed in.
const sessionCookie = "portal_user"

// sessions signs and reads the sign-in cookie. Sign-in is by choosing a
// user, so the signature only stops a browser from editing the cookie into
// a user it did not choose through the sign-in form.
type sessions struct {
	key   []byte
	users *directory
}

func (s *sessions) sign(id string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(id))
	return id + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// signIn sets the cookie for u.
func (s *sessions) signIn(w http.ResponseWriter, u *User) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.sign(u.ID), Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// signOut clears the cookie.
func (s *sessions) signOut(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// user returns the signed-in user, or nil.
func (s *sessions) user(r *http.Request) *User {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	id, _, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(c.Value), []byte(s.sign(id))) {
		return nil
	}
	u, _ := s.users.Get(id)
	return u
}
