package cpumeter

import (
	"bytes"
	"os"
	"strconv"
)

// clockTicks is the unit of /proc/PID/stat's times: USER_HZ, which Linux
// fixes at 100 for user space on every architecture Go supports.
const clockTicks = 100

// otherProcessCPU returns the CPU time (user+system) process pid has used,
// in nanoseconds, or -1.
func otherProcessCPU(pid int) int64 {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	// The command name, field 2, is in parentheses and may hold spaces;
	// utime and stime are fields 14 and 15, the 12th and 13th after it.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return -1
	}
	fields := bytes.Fields(stat[i+1:])
	if len(fields) < 13 {
		return -1
	}
	utime, err1 := strconv.ParseInt(string(fields[11]), 10, 64)
	stime, err2 := strconv.ParseInt(string(fields[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return (utime + stime) * (1e9 / clockTicks)
}
