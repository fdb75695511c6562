#!/usr/bin/env python3
"""Measure a terminal program the way a user on a slow link feels it.

Runs a command in a pseudo-terminal of a given size (like an SSH session), records
every byte it writes with a timestamp, and answers:
  first   time from spawn until a pattern first appears in the output
  key     bytes written (and time until quiet) after sending one key sequence
  idle    bytes written during N seconds of no input
  rss     peak resident memory of the process (VmHWM), KiB

Usage (one JSON object per run on stdout):
  ptybench.py first  --pattern RE -- CMD...
  ptybench.py keys   --pattern RE --send SEQ [--send SEQ ...] -- CMD...
  ptybench.py idle   --pattern RE --seconds 5 -- CMD...
"""
import argparse, fcntl, json, os, pty, re, select, signal, struct, sys, termios, time

def spawn(cmd, cols, rows, env):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(env)
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, fd

def read_until(fd, deadline, pattern=None, buf=b"", quiet=None):
    """Reads until pattern matches (returns time of match), or until `quiet`
    seconds pass with no output (returns time of last byte)."""
    last = time.perf_counter()
    while True:
        now = time.perf_counter()
        if now > deadline:
            return None, buf, last
        timeout = deadline - now
        if quiet is not None:
            timeout = min(timeout, max(0.0, last + quiet - now))
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            if quiet is not None and time.perf_counter() >= last + quiet:
                return last, buf, last
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return None, buf, last
        if not chunk:
            return None, buf, last
        last = time.perf_counter()
        buf += chunk
        if pattern is not None and pattern.search(buf):
            return last, buf, last

def peak_rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None

def tree_peak_rss_kib(pid):
    """Peak RSS of the process and its children (a shell pipeline's members)."""
    total = peak_rss_kib(pid) or 0
    try:
        for child in open(f"/proc/{pid}/task/{pid}/children").read().split():
            total += tree_peak_rss_kib(int(child))
    except OSError:
        pass
    return total

def finish(pid, fd):
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    os.close(fd)

def decode(seq, app_cursor=False):
    """`\\e` stands for ESC so callers can write arrow keys as `\\e[B`; `\\r` is Enter.
    With `app_cursor` (the program switched on DECCKM, as less and curses programs do)
    arrow keys are sent as `ESC O B`, like a real terminal sends them then."""
    data = seq.replace("\\e", "\x1b").replace("\\r", "\r")
    if app_cursor:
        data = re.sub("\x1b\\[([ABCDHF])", "\x1bO\\1", data)
    return data.encode("utf-8")

def app_cursor_mode(output, current):
    """Whether DECCKM is on after `output` (the last of CSI ? 1 h / l wins)."""
    on, off = output.rfind(b"\x1b[?1h"), output.rfind(b"\x1b[?1l")
    if on == off == -1:
        return current
    return on > off

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["first", "keys", "idle"])
    ap.add_argument("--pattern", required=True)
    ap.add_argument("--send", action="append", default=[])
    ap.add_argument("--settle", type=float, default=0.3)
    ap.add_argument("--quiet", type=float, default=0.15)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--cols", type=int, default=80)
    ap.add_argument("--rows", type=int, default=24)
    if "--" not in sys.argv:
        ap.error("give the command after --")
    split = sys.argv.index("--")
    a = ap.parse_args(sys.argv[1:split])
    cmd = sys.argv[split + 1:]
    env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"}
    pattern = re.compile(a.pattern.encode("utf-8"))
    t0 = time.perf_counter()
    pid, fd = spawn(cmd, a.cols, a.rows, env)
    first, buf, _ = read_until(fd, t0 + 20, pattern)
    out = {"mode": a.mode, "first_ms": None if first is None else round((first - t0) * 1000, 2)}
    if first is None:
        out["error"] = "pattern not seen"
        out["tail"] = buf[-400:].decode("utf-8", "replace")
    elif a.mode == "first":
        out["peak_rss_kib"] = tree_peak_rss_kib(pid)
    else:
        # Let the first burst (header counts, late replies) finish.
        _, settled, _ = read_until(fd, time.perf_counter() + 5, None, b"", quiet=a.settle)
        out["start_bytes"] = len(buf) + len(settled)
        if a.mode == "idle":
            _, b, _ = read_until(fd, time.perf_counter() + a.seconds, None, b"")
            out["idle_bytes"] = len(b)
            out["seconds"] = a.seconds
        else:
            steps = []
            mode = app_cursor_mode(buf + settled, False)
            for seq in a.send:
                data = decode(seq, mode)
                sent = time.perf_counter()
                os.write(fd, data)
                last, b, _ = read_until(fd, sent + 5, None, b"", quiet=a.quiet)
                mode = app_cursor_mode(b, mode)
                steps.append({"send": seq, "bytes": len(b), "redraw_ms": None if not b else round((last - sent) * 1000, 2)})
            out["steps"] = steps
        out["peak_rss_kib"] = peak_rss_kib(pid)
    finish(pid, fd)
    print(json.dumps(out, ensure_ascii=False))

if __name__ == "__main__":
    main()
