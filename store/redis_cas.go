package store

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/redis/go-redis/v9"
)

// A create in one round trip: what a create read (the dedup keys, the
// year's sequence, the agency record) is checked again and its writes
// applied by one script, atomically — WATCH/MULTI/EXEC's guarantee
// without its round trips (WATCH, each read, EXEC, UNWATCH). The writes
// are queued on an unexecuted Pipeline by the same code as elsewhere and
// passed to the script as commands. All of lebot's keys share one hash
// slot (keys.go), so the script runs on Cluster too; every key it
// touches is passed in KEYS.

// casCheck is one precondition: key still holds what was read.
type casCheck struct {
	key  string
	mode string // "a": absent; "v": the string want; "s": a set whose sorted members hash to want
	want string
}

// stringCheck: key still holds v (present) or is still absent.
func stringCheck(key string, v []byte, present bool) casCheck {
	if !present {
		return casCheck{key: key, mode: "a"}
	}
	return casCheck{key: key, mode: "v", want: string(v)}
}

// setCheck: the set at key still has exactly members.
func setCheck(key string, members []string) casCheck {
	m := slices.Clone(members)
	slices.Sort(m)
	sum := sha1.Sum([]byte(strings.Join(m, "\n")))
	return casCheck{key: key, mode: "s", want: hex.EncodeToString(sum[:])}
}

// casScript: ARGV is the number of checks, each as (key index, mode,
// want), then the number of commands, each as (number of arguments after
// the key, name, key index, arguments). It returns 0 when it applied the
// commands, else {i, value}: the first check that failed and what its key
// holds now.
var casScript = redis.NewScript(`
local a = 2
for i = 1, tonumber(ARGV[1]) do
  local k, mode, want = KEYS[tonumber(ARGV[a])], ARGV[a+1], ARGV[a+2]
  a = a + 3
  local ok, cur
  if mode == 's' then
    local m = redis.call('SMEMBERS', k)
    table.sort(m)
    ok = redis.sha1hex(table.concat(m, '\n')) == want
  else
    cur = redis.call('GET', k)
    if mode == 'a' then ok = (cur == false) else ok = (cur == want) end
  end
  if not ok then return {i, cur} end
end
local n = tonumber(ARGV[a])
a = a + 1
for _ = 1, n do
  local argc = tonumber(ARGV[a])
  redis.call(ARGV[a+1], KEYS[tonumber(ARGV[a+2])], unpack(ARGV, a+3, a+2+argc))
  a = a + 3 + argc
end
return 0
`)

// casFailed says which check failed (index into the checks) and what its
// key holds now (nil: absent, or a set).
type casFailed struct {
	check int
	value *string
}

// runCAS applies the commands queued on p if every check holds, in one
// round trip on c. It returns nil when applied.
func runCAS(ctx context.Context, c redis.Scripter, checks []casCheck, p redis.Pipeliner) (*casFailed, error) {
	var keys []string
	index := map[string]int{}
	key := func(k string) int {
		if i, ok := index[k]; ok {
			return i
		}
		keys = append(keys, k)
		index[k] = len(keys)
		return len(keys)
	}
	cmds := p.(*redis.Pipeline).Cmds()
	argv := make([]any, 0, 2+3*len(checks)+8*len(cmds))
	argv = append(argv, len(checks))
	for _, ch := range checks {
		argv = append(argv, key(ch.key), ch.mode, ch.want)
	}
	argv = append(argv, len(cmds))
	for _, cmd := range cmds {
		args := cmd.Args()
		if len(args) < 2 {
			return nil, fmt.Errorf("redis: command %v has no key", args)
		}
		k, ok := args[1].(string)
		if !ok {
			return nil, fmt.Errorf("redis: command %v has no key", args[0])
		}
		argv = append(argv, len(args)-2, args[0], key(k))
		argv = append(argv, args[2:]...)
	}
	res, err := casScript.Run(ctx, c, keys, argv...).Result()
	if err != nil {
		return nil, err
	}
	if n, ok := res.(int64); ok && n == 0 {
		return nil, nil
	}
	arr, ok := res.([]any)
	if !ok || len(arr) == 0 {
		return nil, fmt.Errorf("redis: unexpected script reply %T", res)
	}
	i, _ := arr[0].(int64)
	f := &casFailed{check: int(i) - 1}
	if len(arr) > 1 {
		if v, ok := arr[1].(string); ok {
			f.value = &v
		}
	}
	return f, nil
}
