/*
 * The D-Bus exchange of a failing `latch whoami`, and nothing else: the
 * floor under the benchmark's start-up target on the Secret Service.
 *
 * It connects to the session bus, sends in one write what latch sends
 * (AUTH EXTERNAL, BEGIN, Hello, and a SearchItems call for an item that is
 * not there), reads until the answer to SearchItems arrives, and exits 0.
 * benches/compare.sh builds it with `cc -O2`; benches/compare.rs times it
 * beside latch.
 *
 * Only `unix:path=` and `unix:abstract=` addresses, as latch's own
 * connection (src/token_store/dbus.rs).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the messages are marshalled in the machine's byte order and marked 'l'"
#endif

struct buf {
    unsigned char data[1024];
    size_t len;
};

static void pad(struct buf *b, size_t alignment) {
    while (b->len % alignment) b->data[b->len++] = 0;
}

static void put_u8(struct buf *b, uint8_t v) { b->data[b->len++] = v; }

static void put_u32(struct buf *b, uint32_t v) {
    pad(b, 4);
    memcpy(b->data + b->len, &v, 4); /* little-endian: the 'l' below */
    b->len += 4;
}

/* A STRING or OBJECT_PATH: length, bytes, NUL. */
static void put_string(struct buf *b, const char *s) {
    put_u32(b, (uint32_t)strlen(s));
    memcpy(b->data + b->len, s, strlen(s) + 1);
    b->len += strlen(s) + 1;
}

/* A SIGNATURE: one-byte length, bytes, NUL. */
static void put_signature(struct buf *b, const char *s) {
    put_u8(b, (uint8_t)strlen(s));
    memcpy(b->data + b->len, s, strlen(s) + 1);
    b->len += strlen(s) + 1;
}

/* One header field: a struct of its code and a variant. */
static void put_field(struct buf *b, uint8_t code, const char *type, const char *value) {
    pad(b, 8);
    put_u8(b, code);
    put_signature(b, type);
    if (type[0] == 'g') put_signature(b, value);
    else put_string(b, value);
}

/* A method call; `body` (already marshalled, with `signature`) may be empty. */
static void put_call(struct buf *out, uint32_t serial, const char *destination,
                     const char *path, const char *interface, const char *member,
                     const char *signature, const struct buf *body) {
    struct buf fields = {.len = 0};
    put_field(&fields, 1, "o", path);
    put_field(&fields, 2, "s", interface);
    put_field(&fields, 3, "s", member);
    put_field(&fields, 6, "s", destination);
    if (signature) put_field(&fields, 8, "g", signature);

    /* Marshalled on its own, since alignment counts from a message's start. */
    struct buf msg = {.len = 0};
    put_u8(&msg, 'l');
    put_u8(&msg, 1); /* METHOD_CALL */
    put_u8(&msg, 0);
    put_u8(&msg, 1); /* protocol version */
    put_u32(&msg, (uint32_t)(body ? body->len : 0));
    put_u32(&msg, serial);
    put_u32(&msg, (uint32_t)fields.len);
    memcpy(msg.data + msg.len, fields.data, fields.len);
    msg.len += fields.len;
    pad(&msg, 8);
    if (body) {
        memcpy(msg.data + msg.len, body->data, body->len);
        msg.len += body->len;
    }
    memcpy(out->data + out->len, msg.data, msg.len);
    out->len += msg.len;
}

static uint32_t get_u32(const unsigned char *p, int big_endian) {
    return big_endian ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
                      : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* The REPLY_SERIAL of the message at `m` (header fields of `fields_len`), or
 * 0; a field that runs past the fields' end ends the search. */
static uint32_t reply_serial(const unsigned char *m, uint32_t fields_len, int big_endian) {
    size_t at = 16, end = 16 + (size_t)fields_len;
    while (at + 2 <= end) {
        uint8_t code = m[at];
        uint8_t sig_len = m[at + 1];
        const unsigned char *sig = m + at + 2;
        size_t value = at + 2 + sig_len + 1;
        if (sig_len != 1 || value > end) return 0;
        if (sig[0] == 'u' || sig[0] == 's' || sig[0] == 'o') value = (value + 3) & ~(size_t)3;
        if (sig[0] == 'g') {
            if (value + 1 > end) return 0;
            value += 1 + (size_t)m[value] + 1;
        } else {
            if (value + 4 > end) return 0;
            uint32_t v = get_u32(m + value, big_endian);
            if (code == 5 && sig[0] == 'u') return v;
            value += sig[0] == 'u' ? 4 : 4 + (size_t)v + 1;
        }
        at = (value + 7) & ~(size_t)7;
    }
    return 0;
}

int main(void) {
    alarm(10); /* a bus that never answers ends the run instead of hanging it */
    const char *address = getenv("DBUS_SESSION_BUS_ADDRESS");
    if (!address) {
        fputs("bus-exchange: DBUS_SESSION_BUS_ADDRESS is not set\n", stderr);
        return 2;
    }
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    socklen_t sun_len;
    const char *path = strstr(address, "unix:path=");
    const char *abstract = strstr(address, "unix:abstract=");
    const char *name = path ? path + 10 : abstract ? abstract + 14 : NULL;
    if (!name) {
        fputs("bus-exchange: only unix:path= and unix:abstract= addresses\n", stderr);
        return 2;
    }
    size_t name_len = strcspn(name, ",;");
    size_t offset = abstract && !path ? 1 : 0; /* an abstract name starts with NUL */
    if (name_len + offset >= sizeof sun.sun_path) {
        fputs("bus-exchange: the bus address is too long\n", stderr);
        return 2;
    }
    memcpy(sun.sun_path + offset, name, name_len);
    sun_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + offset + name_len + !offset);

    struct buf out = {.len = 0};
    int n = snprintf((char *)out.data + 1, sizeof out.data - 1, "AUTH EXTERNAL ");
    out.data[0] = 0;
    out.len = 1 + (size_t)n;
    char uid[24];
    snprintf(uid, sizeof uid, "%u", (unsigned)geteuid());
    for (const char *c = uid; *c; c++) out.len += (size_t)sprintf((char *)out.data + out.len, "%02x", *c);
    out.len += (size_t)sprintf((char *)out.data + out.len, "\r\nBEGIN\r\n");

    put_call(&out, 1, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
             "Hello", NULL, NULL);
    struct buf body = {.len = 0};
    size_t length_at = body.len;
    put_u32(&body, 0);
    pad(&body, 8);
    size_t first = body.len;
    const char *attributes[][2] = {{"service", "latch"},
                                   {"username", "bench:bus-exchange:no-such-item"}};
    for (size_t i = 0; i < 2; i++) {
        pad(&body, 8);
        put_string(&body, attributes[i][0]);
        put_string(&body, attributes[i][1]);
    }
    uint32_t array_len = (uint32_t)(body.len - first);
    memcpy(body.data + length_at, &array_len, 4);
    put_call(&out, 2, "org.freedesktop.secrets", "/org/freedesktop/secrets",
             "org.freedesktop.Secret.Service", "SearchItems", "a{ss}", &body);

    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&sun, sun_len) != 0) {
        perror("bus-exchange: connect");
        return 3;
    }
    if (write(s, out.data, out.len) != (ssize_t)out.len) {
        perror("bus-exchange: write");
        return 3;
    }

    static unsigned char in[65536];
    size_t have = 0, at = 0;
    int authenticated = 0;
    for (;;) {
        ssize_t got = read(s, in + have, sizeof in - have);
        if (got <= 0) {
            fputs("bus-exchange: the bus hung up\n", stderr);
            return 3;
        }
        have += (size_t)got;
        if (!authenticated) {
            unsigned char *end = memchr(in, '\n', have);
            if (!end) continue;
            if (have < 3 || memcmp(in, "OK ", 3) != 0) {
                fputs("bus-exchange: the bus refused AUTH EXTERNAL\n", stderr);
                return 3;
            }
            authenticated = 1;
            at = (size_t)(end - in) + 1;
        }
        while (have - at >= 16) {
            const unsigned char *m = in + at;
            int big_endian = m[0] == 'B';
            uint32_t body_len = get_u32(m + 4, big_endian);
            uint32_t fields_len = get_u32(m + 12, big_endian);
            size_t total = ((16 + (size_t)fields_len + 7) & ~(size_t)7) + body_len;
            if (total > sizeof in) return 3;
            if (have - at < total) break;
            if ((m[1] == 2 || m[1] == 3) && reply_serial(m, fields_len, big_endian) == 2) {
                close(s);
                return m[1] == 2 ? 0 : 1;
            }
            at += total;
        }
        /* Keep what is left of a message at the front, for the next read. */
        memmove(in, in + at, have - at);
        have -= at;
        at = 0;
    }
}
