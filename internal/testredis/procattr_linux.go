package testredis

import "syscall"

// dieWithParent kills a started redis-server when the test binary dies
// without running its cleanups (a panic, a -timeout).
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
