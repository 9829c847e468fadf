//! Standard streams: stdout is buffered in a static buffer (flushed when
//! full and at every exit), stderr is unbuffered.

use crate::platform;
use crate::Global;

/// A microcontroller (`target_os = "none"`) has little RAM to spare, and
/// its output channel (semihosting, a UART) gains little from big writes.
const STDOUT_BUF: usize = if cfg!(target_os = "none") { 256 } else { 8192 };

struct Stdout {
    buf: [u8; STDOUT_BUF],
    len: usize,
}

static STDOUT: Global<Stdout> = Global::new(Stdout {
    buf: [0; STDOUT_BUF],
    len: 0,
});

pub fn write_stdout(mut data: &[u8]) {
    let out = STDOUT.get();
    while !data.is_empty() {
        if out.len == STDOUT_BUF {
            flush_stdout();
        }
        let n = data.len().min(STDOUT_BUF - out.len);
        out.buf[out.len..out.len + n].copy_from_slice(&data[..n]);
        out.len += n;
        data = &data[n..];
    }
}

pub fn flush_stdout() {
    let out = STDOUT.get();
    if out.len > 0 {
        platform::write_all(1, &out.buf[..out.len]);
        out.len = 0;
    }
}

pub fn write_stderr(data: &[u8]) {
    platform::write_all(2, data);
}

/// Flushes stdout and ends the process with `status`.
pub fn exit(status: i32) -> ! {
    flush_stdout();
    platform::exit(status)
}

/// An unrecoverable runtime error: flushes stdout, reports on stderr,
/// exits with status 1.
pub fn fatal(msg: &str) -> ! {
    flush_stdout();
    write_stderr(msg.as_bytes());
    write_stderr(b"\n");
    platform::exit(1)
}
