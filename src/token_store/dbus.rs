//! A small blocking D-Bus connection for the Secret Service calls that carry
//! no secret: `SearchItems`, `Delete` and a prompt's `Dismiss`.
//!
//! zbus connects through an executor thread, a reactor thread and a thread
//! pool, and waits for the bus daemon twice before its first call can go out.
//! A `whoami` with nobody logged in makes one call and exits, so that was most
//! of its time. This connection is one Unix socket, read and written on the
//! calling thread, and each call has the caller's deadline. Its handshake
//! (`AUTH EXTERNAL` with the user id, which the bus checks against the
//! kernel's credentials of the socket; `BEGIN`; `Hello`) goes out in one
//! write with the first call: sd-bus sends `AUTH` and `BEGIN` together too,
//! and both bus daemons read what follows `BEGIN` as messages (dbus-daemon
//! keeps those bytes; dbus-broker documents the whole handshake as one
//! prefix).
//!
//! Messages are built and parsed by zbus; only the framing is done here: a
//! message longer than `MAX_MESSAGE` is refused before it is read, and one
//! whose header names zbus would panic on is refused (`check_names`). Only a
//! `unix:path=` or `unix:abstract=` session address is handled: for any other
//! the caller uses zbus.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::num::NonZeroU32;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use rustix::io::Errno;
use rustix::net::sockopt::Timeout;
use rustix::net::{self, AddressFamily, SocketAddrUnix, SocketFlags, SocketType};
use zbus::Message;
use zbus::address::transport::{Transport, UnixSocket};
use zbus::message::Type;
use zbus::names::{BusName, ErrorName, InterfaceName, MemberName, UniqueName};
use zbus::zvariant::serialized::{Context, Data};
use zbus::zvariant::{Endian, ObjectPath, Value};

const BUS_NAME: &str = "org.freedesktop.DBus";
const BUS_PATH: &str = "/org/freedesktop/DBus";
/// The primary header: byte order, type, flags, version, body length, serial.
const PRIMARY_HEADER: usize = 12;
/// The fixed part of every message: the primary header and the length of the
/// header fields.
const FIXED_HEADER: usize = 16;
/// The longest reply read. A search that lists a few items is a few hundred
/// bytes; anything near this is not an answer latch can use.
const MAX_MESSAGE: usize = 1 << 20;
/// The longest line of the authentication exchange read.
const MAX_AUTH_LINE: u64 = 512;

#[derive(Debug)]
pub(super) struct BareBus {
    reader: BufReader<Deadlined>,
    /// How long one call may take, reads and writes together.
    timeout: Duration,
    /// The handshake (`AUTH`, `BEGIN`, then `Hello`) and `Hello`'s serial,
    /// until they go out with the first call.
    handshake: Option<(Vec<u8>, NonZeroU32)>,
    /// Set when a call failed other than by an error reply: where the next
    /// message starts is no longer known, so no call is made again.
    broken: bool,
}

impl BareBus {
    /// Connects to the session bus. `None` when its address is not a Unix
    /// socket this connection handles.
    pub(super) fn session(timeout: Duration) -> zbus::Result<Option<BareBus>> {
        let address = zbus::Address::session()?;
        let Some(socket) = socket_of(&address) else {
            return Ok(None);
        };
        BareBus::over(connect(&socket, timeout)?, timeout).map(Some)
    }

    /// A connection over `stream`, connected to a bus. Nothing is sent yet.
    fn over(stream: UnixStream, timeout: Duration) -> zbus::Result<BareBus> {
        // SAFETY: geteuid has no preconditions and cannot fail.
        let uid = unsafe { libc::geteuid() };
        let hex_uid = crate::hex(uid.to_string().as_bytes());
        let mut handshake = format!("\0AUTH EXTERNAL {hex_uid}\r\nBEGIN\r\n").into_bytes();
        let hello = Message::method_call(BUS_PATH, "Hello")?
            .destination(BUS_NAME)?
            .interface(BUS_NAME)?
            .build(&())?;
        handshake.extend_from_slice(hello.data());
        Ok(BareBus {
            reader: BufReader::new(Deadlined {
                stream,
                deadline: Instant::now() + timeout,
            }),
            timeout,
            handshake: Some((handshake, hello.primary_header().serial_num())),
            broken: false,
        })
    }

    /// Sends `call` and waits for its reply, at most the connection's
    /// timeout: the reply itself, or the error it carries. Signals and other
    /// messages on the way are passed over.
    ///
    /// The first call goes out after the whole handshake, in one write (see
    /// the module's notes); the bus's `OK` is read before anything else.
    pub(super) fn call(&mut self, call: &Message) -> zbus::Result<Message> {
        self.call_until(call, Instant::now() + self.timeout)
    }

    /// `call`, waiting until `deadline` at most.
    pub(super) fn call_until(
        &mut self,
        call: &Message,
        deadline: Instant,
    ) -> zbus::Result<Message> {
        if self.broken {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the connection to the bus failed earlier",
            )
            .into());
        }
        self.reader.get_mut().deadline = deadline;
        let answer = self.exchange(call);
        // An error reply leaves the stream where the next message starts.
        if matches!(&answer, Err(e) if !matches!(e, zbus::Error::MethodError(..))) {
            self.broken = true;
        }
        answer.map_err(|e| match e {
            zbus::Error::InputOutput(io) if io.kind() == io::ErrorKind::TimedOut => io::Error::new(
                io::ErrorKind::TimedOut,
                format!("no answer within {}", spoken(self.timeout)),
            )
            .into(),
            e => e,
        })
    }

    fn exchange(&mut self, call: &Message) -> zbus::Result<Message> {
        let hello = match self.handshake.take() {
            Some((mut handshake, hello)) => {
                handshake.extend_from_slice(call.data());
                self.reader.get_mut().write_all(&handshake)?;
                self.read_ok()?;
                Some(hello)
            }
            None => {
                self.reader.get_mut().write_all(call.data())?;
                None
            }
        };
        let serial = call.primary_header().serial_num();
        loop {
            let message = read_message(&mut self.reader)?;
            let (kind, reply_to) = {
                let header = message.header();
                (header.message_type(), header.reply_serial())
            };
            match (kind, reply_to) {
                (Type::MethodReturn, Some(to)) if to == serial => return Ok(message),
                (Type::Error, Some(to)) if to == serial => return Err(zbus::Error::from(message)),
                // The bus refused `Hello`: it never took this connection in.
                (Type::Error, Some(to)) if Some(to) == hello => {
                    self.broken = true;
                    return Err(zbus::Error::from(message));
                }
                _ => {}
            }
        }
    }

    /// The bus's answer to `AUTH EXTERNAL`: `OK` and its GUID, or a refusal.
    fn read_ok(&mut self) -> zbus::Result<()> {
        let mut line = Vec::new();
        (&mut self.reader)
            .take(MAX_AUTH_LINE)
            .read_until(b'\n', &mut line)?;
        if line.starts_with(b"OK ") && line.ends_with(b"\r\n") {
            return Ok(());
        }
        if line.is_empty() {
            return Err(closed());
        }
        let answer: String = String::from_utf8_lossy(&line)
            .trim_end()
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        Err(zbus::Error::Handshake(format!(
            "the bus refused EXTERNAL authentication: {answer}"
        )))
    }
}

/// Where a bus address says to connect, for the addresses this connection
/// handles.
#[derive(Debug, PartialEq)]
enum Socket<'a> {
    Path(&'a std::path::Path),
    Abstract(&'a [u8]),
}

/// Connects to `socket`, waiting at most `timeout`: a bus that stopped
/// accepting connections fills its queue of them, and a plain `connect` would
/// then wait for it forever. On a Unix socket, the send timeout bounds that
/// wait.
fn connect(socket: &Socket<'_>, timeout: Duration) -> io::Result<UnixStream> {
    let address = match socket {
        Socket::Path(path) => SocketAddrUnix::new(*path),
        Socket::Abstract(name) => SocketAddrUnix::new_abstract_name(name),
    }?;
    let fd = net::socket_with(
        AddressFamily::UNIX,
        SocketType::STREAM,
        SocketFlags::CLOEXEC,
        None,
    )?;
    net::sockopt::set_socket_timeout(&fd, Timeout::Send, Some(timeout))?;
    match net::connect(&fd, &address) {
        Ok(()) => Ok(UnixStream::from(fd)),
        Err(Errno::AGAIN) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("the bus accepted no connection within {}", spoken(timeout)),
        )),
        Err(e) => Err(e.into()),
    }
}

fn socket_of(address: &zbus::Address) -> Option<Socket<'_>> {
    let Transport::Unix(unix) = address.transport() else {
        return None;
    };
    match unix.path() {
        UnixSocket::File(path) => Some(Socket::Path(path)),
        UnixSocket::Abstract(name) => Some(Socket::Abstract(name.as_bytes())),
        _ => None,
    }
}

/// Reads one whole message from `reader`: what the bus sends is parsed
/// here (and by the `dbus_reply` fuzz target).
pub fn read_message(reader: &mut impl Read) -> zbus::Result<Message> {
    let mut bytes = vec![0u8; FIXED_HEADER];
    read_all(reader, &mut bytes)?;
    let endian = match bytes[0] {
        b'l' => Endian::Little,
        b'B' => Endian::Big,
        _ => return Err(not_dbus("its first byte is no byte order")),
    };
    let word = |at: usize| -> usize {
        let four = [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
        let word = match endian {
            Endian::Little => u32::from_le_bytes(four),
            Endian::Big => u32::from_be_bytes(four),
        };
        word as usize
    };
    let (body_len, fields_len) = (word(4), word(12));
    let total = FIXED_HEADER
        .saturating_add(fields_len)
        .checked_next_multiple_of(8)
        .and_then(|padded| padded.checked_add(body_len))
        .unwrap_or(usize::MAX);
    if total > MAX_MESSAGE {
        return Err(zbus::Error::Failure(format!(
            "the bus sent a message of {total} bytes, over the {} MiB latch reads",
            MAX_MESSAGE >> 20
        )));
    }
    bytes.resize(total, 0);
    read_all(reader, &mut bytes[FIXED_HEADER..])?;
    let data = Data::new(bytes, Context::new_dbus(endian, 0));
    check_names(&data)?;
    // SAFETY: `from_bytes` is marked unsafe because the bytes may be
    // malformed. It checks them as it parses them, as zbus does with every
    // message it reads from its own socket, and a malformed message is an
    // error here; the one kind zbus parses but then panics on reading back
    // (a header name) was refused by `check_names` above. The length it
    // parses is the length read.
    unsafe { Message::from_bytes(data) }
}

/// `read_exact`, with the bus closing the connection said as such.
fn read_all(reader: &mut impl Read, buf: &mut [u8]) -> zbus::Result<()> {
    reader.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => closed(),
        _ => e.into(),
    })
}

fn closed() -> zbus::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the bus closed the connection",
    )
    .into()
}

fn not_dbus(why: &str) -> zbus::Error {
    zbus::Error::Failure(format!(
        "the bus sent something that is not a D-Bus message: {why}"
    ))
}

/// `timeout` as a person says it: "10 seconds", "200 ms".
fn spoken(timeout: Duration) -> String {
    if timeout.subsec_millis() == 0 {
        format!("{} seconds", timeout.as_secs())
    } else {
        format!("{} ms", timeout.as_millis())
    }
}

/// The socket, with one deadline for all the reads and writes of a call:
/// each waits at most for what is left of it, so a bus that sends a byte at
/// a time, or signals without end, is cut off all the same.
#[derive(Debug)]
struct Deadlined {
    stream: UnixStream,
    deadline: Instant,
}

impl Deadlined {
    fn left(&self) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        Ok(left)
    }

    fn timed_out(e: io::Error) -> io::Error {
        match e.kind() {
            io::ErrorKind::WouldBlock => io::ErrorKind::TimedOut.into(),
            _ => e,
        }
    }
}

impl Read for Deadlined {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.set_read_timeout(Some(self.left()?))?;
        self.stream.read(buf).map_err(Deadlined::timed_out)
    }
}

impl Write for Deadlined {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.set_write_timeout(Some(self.left()?))?;
        self.stream.write(buf).map_err(Deadlined::timed_out)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Refuses a header whose names zbus would accept as it parses the message
/// but not when it reads them back: zbus checks them one way in `from_bytes`
/// and another in `Message::header`, and panics when the two disagree (an
/// interface name with a `+` in it, found by the `dbus_reply` fuzz target).
/// Each name is checked here as `Message::header` checks it.
fn check_names(data: &Data<'_, '_>) -> zbus::Result<()> {
    let encoded = data.slice(PRIMARY_HEADER..);
    let (fields, _): (Vec<(u8, Value<'_>)>, _) = encoded.deserialize()?;
    for (code, value) in &fields {
        let text = match value {
            Value::Str(text) => text.as_str(),
            Value::ObjectPath(path) => path.as_str(),
            _ => continue,
        };
        match code {
            1 => drop(ObjectPath::try_from(text)?),
            2 => drop(InterfaceName::try_from(text)?),
            3 => drop(MemberName::try_from(text)?),
            4 => drop(ErrorName::try_from(text)?),
            6 => drop(BusName::try_from(text)?),
            7 => drop(UniqueName::try_from(text)?),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! The framing against a scripted bus on the other end of a socket pair.
    //! That the connection works with a real bus and gnome-keyring is shown
    //! by the integration tests, which go through it on every keyring call.

    use super::*;
    use std::thread::JoinHandle;
    use zbus::zvariant::OwnedObjectPath;

    const TIMEOUT: Duration = Duration::from_secs(5);
    /// The bus's yes to `AUTH`, with a GUID.
    const OK: &[u8] = b"OK 0123456789abcdef0123456789abcdef\r\n";

    /// The bus side: reads the handshake and the two messages after it,
    /// then writes whatever `answer` makes of them, `chunk` bytes at a time.
    fn bus(
        greeting: &'static [u8],
        chunk: usize,
        answer: impl FnOnce(&Message, &Message) -> Vec<Message> + Send + 'static,
    ) -> (BareBus, JoinHandle<Vec<u8>>) {
        let (ours, theirs) = UnixStream::pair().expect("socket pair");
        let bus = BareBus::over(ours, TIMEOUT).expect("connection");
        let server = std::thread::spawn(move || {
            let mut reader = BufReader::new(theirs);
            let mut lines = Vec::new();
            for _ in 0..2 {
                reader
                    .read_until(b'\n', &mut lines)
                    .expect("handshake line");
            }
            reader.get_mut().write_all(greeting).expect("greeting");
            if !greeting.starts_with(b"OK ") {
                return lines;
            }
            let hello = read_message(&mut reader).expect("Hello");
            let call = read_message(&mut reader).expect("the call");
            let mut out = Vec::new();
            for message in answer(&hello, &call) {
                out.extend_from_slice(message.data());
            }
            for piece in out.chunks(chunk) {
                reader.get_mut().write_all(piece).expect("answer");
                std::thread::sleep(Duration::from_millis(1));
            }
            lines
        });
        (bus, server)
    }

    fn search() -> Message {
        Message::method_call("/org/freedesktop/secrets", "SearchItems")
            .and_then(|m| m.destination("org.freedesktop.secrets"))
            .and_then(|m| m.interface("org.freedesktop.Secret.Service"))
            .and_then(|m| m.build(&std::collections::HashMap::from([("service", "latch")])))
            .expect("message")
    }

    fn reply_to(call: &Message, body: &(Vec<&str>, Vec<&str>)) -> Message {
        let paths = |list: &Vec<&str>| -> Vec<zbus::zvariant::ObjectPath<'static>> {
            list.iter()
                .map(|p| zbus::zvariant::ObjectPath::try_from(p.to_string()).expect("path"))
                .collect()
        };
        Message::method_return(&call.header())
            .and_then(|m| m.build(&(paths(&body.0), paths(&body.1))))
            .expect("reply")
    }

    fn hello_reply(hello: &Message) -> Message {
        Message::method_return(&hello.header())
            .and_then(|m| m.build(&":1.7"))
            .expect("hello reply")
    }

    fn name_acquired() -> Message {
        Message::signal(BUS_PATH, BUS_NAME, "NameAcquired")
            .and_then(|m| m.build(&":1.7"))
            .expect("signal")
    }

    #[test]
    fn the_handshake_goes_out_with_the_first_call_and_signals_are_passed_over() {
        let (mut bus, server) = bus(OK, 7, |hello, call| {
            vec![
                hello_reply(hello),
                name_acquired(),
                reply_to(
                    call,
                    &(vec!["/org/freedesktop/secrets/collection/login/3"], vec![]),
                ),
            ]
        });
        let reply = bus.call(&search()).expect("reply");
        let (unlocked, locked): (Vec<OwnedObjectPath>, Vec<OwnedObjectPath>) =
            reply.body().deserialize().expect("body");
        assert_eq!(unlocked.len(), 1);
        assert_eq!(
            unlocked[0].as_str(),
            "/org/freedesktop/secrets/collection/login/3"
        );
        assert!(locked.is_empty());
        let lines = String::from_utf8(server.join().expect("bus")).expect("text");
        // SAFETY: geteuid has no preconditions and cannot fail.
        let uid = unsafe { libc::geteuid() }.to_string();
        let hex: String = uid.bytes().map(|b| format!("{b:02x}")).collect();
        assert_eq!(lines, format!("\0AUTH EXTERNAL {hex}\r\nBEGIN\r\n"));
    }

    #[test]
    fn an_error_reply_is_the_error_it_names() {
        let (mut bus, server) = bus(OK, 4096, |hello, call| {
            vec![
                hello_reply(hello),
                Message::error(&call.header(), "org.freedesktop.DBus.Error.ServiceUnknown")
                    .and_then(|m| m.build(&"The name is not activatable"))
                    .expect("error"),
            ]
        });
        match bus.call(&search()) {
            Err(zbus::Error::MethodError(name, Some(text), _)) => {
                assert_eq!(name.as_str(), "org.freedesktop.DBus.Error.ServiceUnknown");
                assert_eq!(text, "The name is not activatable");
            }
            other => panic!("expected the error reply, got {other:?}"),
        }
        server.join().expect("bus");
    }

    #[test]
    fn a_refused_handshake_is_an_error_on_one_line() {
        let (mut bus, server) = bus(b"REJECTED EXTERNAL\x1b[2J\r\n", 4096, |_, _| Vec::new());
        let error = bus.call(&search()).expect_err("refused");
        let text = error.to_string();
        assert!(
            text.contains("refused EXTERNAL authentication: REJECTED EXTERNAL?[2J"),
            "{text}"
        );
        server.join().expect("bus");
    }

    #[test]
    fn a_bus_that_hangs_up_is_an_error() {
        let (ours, theirs) = UnixStream::pair().expect("socket pair");
        drop(theirs);
        let mut bus = BareBus::over(ours, TIMEOUT).expect("connection");
        assert!(bus.call(&search()).is_err());
    }

    #[test]
    fn a_message_longer_than_the_limit_is_refused_before_it_is_read() {
        let (ours, mut theirs) = UnixStream::pair().expect("socket pair");
        // A header that announces a body of 3 GiB, and nothing after it.
        let mut header = b"l\x02\x01\x01".to_vec();
        header.extend_from_slice(&(3u32 << 30).to_le_bytes());
        header.extend_from_slice(&1u32.to_le_bytes());
        header.extend_from_slice(&0u32.to_le_bytes());
        theirs.write_all(&header).expect("write");
        let mut reader = BufReader::new(ours);
        let error = read_message(&mut reader).expect_err("too long");
        assert!(
            error.to_string().contains("over the 1 MiB latch reads"),
            "{error}"
        );
    }

    #[test]
    fn a_big_endian_message_is_read() {
        let (ours, mut theirs) = UnixStream::pair().expect("socket pair");
        let signal = Message::signal(BUS_PATH, BUS_NAME, "NameAcquired")
            .map(|m| m.endian(Endian::Big))
            .and_then(|m| m.build(&":1.7"))
            .expect("signal");
        assert_eq!(signal.data()[0], b'B');
        theirs.write_all(signal.data()).expect("write");
        let read = read_message(&mut BufReader::new(ours)).expect("message");
        assert_eq!(read.body().deserialize::<&str>().expect("body"), ":1.7");
    }

    #[test]
    fn a_first_byte_that_is_no_endianness_is_an_error() {
        let (ours, mut theirs) = UnixStream::pair().expect("socket pair");
        theirs.write_all(&[b'x'; 16]).expect("write");
        let error = read_message(&mut BufReader::new(ours)).expect_err("not D-Bus");
        assert!(error.to_string().contains("not a D-Bus message"), "{error}");
    }

    #[test]
    fn a_bus_that_never_answers_is_no_answer_within_the_timeout() {
        let (ours, _theirs) = UnixStream::pair().expect("socket pair");
        let mut bus = BareBus::over(ours, Duration::from_millis(200)).expect("connection");
        let error = bus.call(&search()).expect_err("no answer");
        assert!(
            error.to_string().contains("no answer within 200 ms"),
            "{error}"
        );
    }

    #[test]
    fn after_a_failed_call_the_connection_is_not_used_again() {
        let (ours, theirs) = UnixStream::pair().expect("socket pair");
        let mut bus = BareBus::over(ours, Duration::from_millis(200)).expect("connection");
        bus.call(&search()).expect_err("no answer");
        drop(theirs);
        let error = bus.call(&search()).expect_err("broken");
        assert!(error.to_string().contains("failed earlier"), "{error}");
    }

    #[test]
    fn a_header_name_zbus_would_panic_on_reading_back_is_refused() {
        // The fuzz target's first finding: a signal whose interface is
        // `org.freedeskto+.DBus`.
        let (ours, mut theirs) = UnixStream::pair().expect("socket pair");
        let good = Message::signal(BUS_PATH, "org.freedesktop.DBus", "NameAcquired")
            .and_then(|m| m.build(&":1.7"))
            .expect("signal");
        let bad: Vec<u8> = good
            .data()
            .windows(15)
            .position(|w| w == b"org.freedesktop")
            .map(|at| {
                let mut bytes = good.data().to_vec();
                bytes[at + 14] = b'+';
                bytes
            })
            .expect("the interface in the header");
        theirs.write_all(&bad).expect("write");
        match read_message(&mut BufReader::new(ours)) {
            Err(zbus::Error::Names(_)) => {}
            other => panic!("expected a refused name, got {other:?}"),
        }
    }

    #[test]
    fn answers_to_other_calls_are_passed_over() {
        let (mut bus, server) = bus(OK, 4096, |hello, call| {
            let other = Message::method_call("/", "Ping")
                .and_then(|m| m.build(&()))
                .expect("another call");
            vec![
                hello_reply(hello),
                Message::error(&other.header(), "org.example.Error.NotYours")
                    .and_then(|m| m.build(&"not for this call"))
                    .expect("error"),
                reply_to(&other, &(vec!["/not/ours"], vec![])),
                reply_to(
                    call,
                    &(vec![], vec!["/org/freedesktop/secrets/collection/login/9"]),
                ),
            ]
        });
        let reply = bus.call(&search()).expect("the call's own reply");
        let (unlocked, locked): (Vec<OwnedObjectPath>, Vec<OwnedObjectPath>) =
            reply.body().deserialize().expect("body");
        assert!(unlocked.is_empty());
        assert_eq!(locked.len(), 1);
        server.join().expect("bus");
    }

    #[test]
    fn a_refused_hello_breaks_the_connection() {
        let (mut bus, server) = bus(OK, 4096, |hello, _| {
            vec![
                Message::error(&hello.header(), "org.freedesktop.DBus.Error.LimitsExceeded")
                    .and_then(|m| m.build(&"too many connections"))
                    .expect("error"),
            ]
        });
        let error = bus.call(&search()).expect_err("refused");
        assert!(error.to_string().contains("LimitsExceeded"), "{error}");
        assert!(bus.broken);
        server.join().expect("bus");
    }

    #[test]
    fn a_bus_that_drips_bytes_is_cut_off_at_the_deadline() {
        let (ours, mut theirs) = UnixStream::pair().expect("socket pair");
        let mut bus = BareBus::over(ours, Duration::from_millis(300)).expect("connection");
        let drip = std::thread::spawn(move || {
            let _ = theirs.write_all(OK);
            // A byte every 50 ms: each read alone would wait well within
            // its timeout, forever.
            for _ in 0..100 {
                if theirs.write_all(b"l").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let started = Instant::now();
        let error = bus.call(&search()).expect_err("cut off");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert!(
            error.to_string().contains("no answer within 300 ms"),
            "{error}"
        );
        drop(bus);
        drip.join().expect("drip");
    }

    #[test]
    fn only_unix_socket_addresses_are_handled_here() {
        let socket = |text: &str| {
            let address: zbus::Address = text.parse().expect("address");
            socket_of(&address).map(|socket| format!("{socket:?}"))
        };
        assert_eq!(
            socket("unix:path=/run/user/1000/bus"),
            Some("Path(\"/run/user/1000/bus\")".to_owned())
        );
        assert_eq!(
            socket("unix:abstract=/tmp/dbus-x,guid=0123456789abcdef0123456789abcdef"),
            Some(format!("Abstract({:?})", b"/tmp/dbus-x"))
        );
        assert_eq!(socket("tcp:host=127.0.0.1,port=4000"), None);
        assert_eq!(socket("unix:dir=/tmp"), None);
    }

    #[test]
    fn a_bus_that_accepts_no_more_connections_is_given_up_on() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("bus");
        // A queue of one connection, which nobody accepts.
        let listener = net::socket(AddressFamily::UNIX, SocketType::STREAM, None).expect("socket");
        net::bind(&listener, &SocketAddrUnix::new(&path).expect("address")).expect("bind");
        net::listen(&listener, 0).expect("listen");
        let socket = Socket::Path(&path);
        let timeout = Duration::from_millis(100);
        // Once the queue is full, the next connect waits, and gives up at
        // the timeout.
        let mut queued = Vec::new();
        let error = loop {
            match connect(&socket, timeout) {
                Ok(stream) => queued.push(stream),
                Err(error) => break error,
            }
            assert!(queued.len() < 10, "the queue never filled");
        };
        assert_eq!(error.kind(), io::ErrorKind::TimedOut, "{error}");
        assert_eq!(
            error.to_string(),
            "the bus accepted no connection within 100 ms"
        );
    }
}
