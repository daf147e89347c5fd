/* limit-peer: the floor of the SseFlights benchmark, the least work a server can do for this job.
 *
 * One thread, one epoll set, non-blocking sockets. Every frame of the scenario arrives already
 * encoded (the bench's frame list: exact SSE bytes, the same ids and bytes sseflights sends) and is
 * wrapped in its HTTP chunk framing once, at load; playing an event is one send() per socket of
 * the same bytes. Every frame stays in memory, so a stream is nothing but a position in that
 * history: a resend after Last-Event-ID and a socket that could not take a frame at once are both
 * caught up from the history by writev() when the socket is writable. A stream that falls more
 * than 4,096 frames or 1 MiB behind (sseflights' own bounds) is cut; no other stream ever waits for it.
 *
 *   limit-peer --frames steady.frames [--port 5000] [--host 127.0.0.1] [--speed 1] [--retry 3000]
 *
 * Endpoints: GET /events (snapshot, or resend after Last-Event-ID / ?lastEventId=, then live;
 * 204 once the scenario has closed), GET /healthz; anything else 404. SIGTERM or SIGINT: every
 * stream is closed and the process exits 0. C11 and Linux, nothing beyond libc.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MAX_BEHIND_FRAMES 4096u
#define MAX_BEHIND_BYTES (1024u * 1024u)
#define MAX_REQUEST 8192
#define IOV_BATCH 64

/* The response head; with the retry frame in the first chunk (built once, from --retry) it is what
 * every stream starts with. */
static const char RESPONSE_HEAD[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/event-stream; charset=utf-8\r\n"
    "Cache-Control: no-cache, no-transform\r\n"
    "X-Accel-Buffering: no\r\n"
    "Connection: close\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n";
static char stream_head[sizeof RESPONSE_HEAD + 48];
static size_t stream_head_len;
static const char NO_CONTENT[] = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
static const char NOT_FOUND[] =
    "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 11\r\nConnection: close\r\n\r\nNot found.\n";
static const char TOO_LARGE[] = "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
static const char LAST_CHUNK[] = "0\r\n\r\n";

typedef struct { const char *bytes; uint32_t len; } slice;

/* One timeline entry: an event (a frame, and the flight it changes on the board) or a drop. */
typedef struct {
    int64_t due_ns;      /* on the monotonic clock */
    int is_drop;
    int flight;          /* board index the event replaces, or -1 */
    slice flight_json;   /* the flight after the event */
} entry;

/* One client connection: a request being read, or a stream at a position in the history. */
typedef struct conn {
    int fd;
    int slot;            /* index in streams[], -1 while the request is read */
    uint32_t next;       /* index of the next frame this stream needs (frame k carries id k + 1) */
    uint32_t offset;     /* bytes of frame `next` already sent */
    char *head;          /* unsent part of the opening (head, retry, snapshot), or NULL */
    uint32_t head_len, head_off;
    char *request;       /* a request that arrived in pieces, or NULL */
    uint32_t request_len;
    int want_out;        /* EPOLLOUT armed: the stream is behind */
    struct conn *dead_next; /* closed: freed after the current batch of epoll events */
    int dead;
} conn;

static struct {
    int epoll, listener, timer, signals;
    int listening;       /* the listener is in the epoll set for reading (off while out of fds) */
    double speed;
    int64_t start_ns;
    char started_at[40];
    /* the board */
    slice *board;
    int flights;
    /* the timeline and the frames, chunk-framed: frame k is frames[frame_at[k] .. frame_at[k + 1]) */
    entry *entries;
    uint32_t entry_count, played_entries;
    char *frames;
    uint64_t *frame_at;
    uint8_t *frame_ends;
    uint32_t frame_count, played; /* frames played so far = lastEventId */
    int closed;
    /* the snapshot of the board after `snapshot_id` events, chunk-framed; rebuilt when it is stale */
    char *snapshot;
    size_t snapshot_len, snapshot_cap;
    long snapshot_id;
    /* open streams */
    conn **streams;
    uint32_t stream_count, stream_cap;
    /* closed this batch: a later event of the same batch may still name them */
    conn *dead;
} S;

static char scratch[MAX_REQUEST];
/* Tags for the epoll entries that are not connections. */
static char LISTENER_TAG, TIMER_TAG, SIGNAL_TAG;

static void die(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fputs("limit-peer: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(2);
}

static void *grow(void *p, size_t bytes) {
    void *q = realloc(p, bytes ? bytes : 1);
    if (!q) die("out of memory");
    return q;
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* ---- the frame list ------------------------------------------------------------------------ */

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot read %s: %s", path, strerror(errno));
    size_t cap = 1 << 20, n = 0;
    char *buf = grow(NULL, cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) buf = grow(buf, cap *= 2);
    }
    if (ferror(f)) die("cannot read %s", path);
    fclose(f);
    *len = n;
    return buf;
}

/* A cursor over the frame list: header lines, then byte blocks of known length. */
typedef struct { char *p, *end; const char *path; } reader;

static char *line(reader *r) {
    char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    if (!nl) die("%s: unexpected end of the frame list", r->path);
    *nl = 0;
    char *text = r->p;
    r->p = nl + 1;
    return text;
}

static const char *bytes(reader *r, uint64_t n) {
    if ((uint64_t)(r->end - r->p) < n) die("%s: a frame runs past the end of the file", r->path);
    const char *b = r->p;
    r->p += n;
    return b;
}

static void load(const char *path) {
    size_t len;
    reader r = {0};
    r.p = read_file(path, &len);
    r.end = r.p + len;
    r.path = path;
    if (strcmp(line(&r), "sseflights-limit-frames 1") != 0) die("%s is not a frame list (write one with: sseflights-bench frames)", path);
    if (sscanf(line(&r), "flights %d", &S.flights) != 1 || S.flights < 0) die("%s: bad flights line", path);
    S.board = grow(NULL, sizeof(slice) * (size_t)S.flights);
    for (int i = 0; i < S.flights; i++) {
        unsigned n;
        if (sscanf(line(&r), "%u", &n) != 1) die("%s: bad flight %d", path, i);
        S.board[i] = (slice){bytes(&r, n), n};
        line(&r);
    }
    if (sscanf(line(&r), "entries %u", &S.entry_count) != 1) die("%s: bad entries line", path);
    S.entries = grow(NULL, sizeof(entry) * S.entry_count);
    /* Frames are copied into one buffer with their chunk framing: "size CRLF bytes CRLF". */
    size_t cap = len + (size_t)S.entry_count * 16 + 16, used = 0;
    S.frames = grow(NULL, cap);
    S.frame_at = grow(NULL, sizeof(uint64_t) * (S.entry_count + 1));
    S.frame_ends = grow(NULL, S.entry_count + 1);
    for (uint32_t i = 0; i < S.entry_count; i++) {
        char *text = line(&r);
        entry *e = &S.entries[i];
        double at;
        unsigned flight_len, frame_len, ends;
        int flight;
        memset(e, 0, sizeof *e);
        if (sscanf(text, "drop %lf", &at) == 1) {
            e->is_drop = 1;
        } else if (sscanf(text, "event %lf %d %u %u %u", &at, &flight, &flight_len, &frame_len, &ends) == 5) {
            if (flight < -1 || flight >= S.flights) die("%s: entry %u changes flight %d of %d", path, i, flight, S.flights);
            e->flight = flight;
            e->flight_json = (slice){bytes(&r, flight_len), flight_len};
            const char *frame = bytes(&r, frame_len);
            line(&r);
            S.frame_at[S.frame_count] = used;
            used += (size_t)sprintf(S.frames + used, "%x\r\n", frame_len);
            memcpy(S.frames + used, frame, frame_len);
            used += frame_len;
            memcpy(S.frames + used, "\r\n", 2);
            used += 2;
            S.frame_ends[S.frame_count++] = (uint8_t)(ends != 0);
        } else {
            die("%s: bad entry %u: %s", path, i, text);
        }
        e->due_ns = (int64_t)(at / S.speed * 1e9);
    }
    S.frame_at[S.frame_count] = used;
}

static const char *frame(uint32_t k) { return S.frames + S.frame_at[k]; }
static uint32_t frame_len(uint32_t k) { return (uint32_t)(S.frame_at[k + 1] - S.frame_at[k]); }

/* The snapshot event of the board as it is now (id = last event id), chunk-framed, built once per id. */
static slice snapshot(void) {
    if (S.snapshot_id != (long)S.played || !S.snapshot) {
        size_t need = 128;
        for (int i = 0; i < S.flights; i++) need += S.board[i].len + 1;
        if (need > S.snapshot_cap) S.snapshot = grow(S.snapshot, S.snapshot_cap = need);
        char *body = S.snapshot + 16; /* room for the chunk size line */
        size_t n = 0;
        n += (size_t)sprintf(body, "event: snapshot\ndata: {\"flights\":[");
        for (int i = 0; i < S.flights; i++) {
            if (i) body[n++] = ',';
            memcpy(body + n, S.board[i].bytes, S.board[i].len);
            n += S.board[i].len;
        }
        n += (size_t)sprintf(body + n, "]}\nid: %u\n\n\r\n", S.played);
        char size_line[16];
        int s = sprintf(size_line, "%zx\r\n", n - 2);
        memmove(S.snapshot + 16 - s, size_line, (size_t)s);
        memmove(S.snapshot, S.snapshot + 16 - s, n + (size_t)s);
        S.snapshot_len = n + (size_t)s;
        S.snapshot_id = (long)S.played;
    }
    return (slice){S.snapshot, (uint32_t)S.snapshot_len};
}

/* ---- connections --------------------------------------------------------------------------- */

static void watch(conn *c, int out) {
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | (out ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(S.epoll, EPOLL_CTL_MOD, c->fd, &ev);
    c->want_out = out;
}

static void listen_again(void) {
    if (S.listening) return;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &LISTENER_TAG};
    epoll_ctl(S.epoll, EPOLL_CTL_MOD, S.listener, &ev);
    S.listening = 1;
}

/* Closes a connection; a cut one is reset (SO_LINGER 0) so its unsent bytes are dropped at once.
 * The struct itself is freed after the current batch of epoll events (see bury). */
static void finish(conn *c, int reset) {
    if (reset) {
        struct linger l = {1, 0};
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    close(c->fd);
    if (c->slot >= 0) {
        conn *last = S.streams[--S.stream_count];
        S.streams[c->slot] = last;
        last->slot = c->slot;
        c->slot = -1;
    }
    free(c->head);
    free(c->request);
    c->head = c->request = NULL;
    c->dead = 1;
    c->dead_next = S.dead;
    S.dead = c;
    listen_again();
}

static void bury(void) {
    while (S.dead) {
        conn *c = S.dead;
        S.dead = c->dead_next;
        free(c);
    }
}

static int caught_up(const conn *c) { return !c->head && c->next == S.played && c->offset == 0; }

/* Moves a stream's position on by `sent` bytes of frames from its current one. */
static void advance(conn *c, size_t sent) {
    while (sent > 0) {
        uint32_t rest = frame_len(c->next) - c->offset;
        if (sent < rest) {
            c->offset += (uint32_t)sent;
            return;
        }
        sent -= rest;
        c->offset = 0;
        c->next++;
    }
}

/* Sends what the stream owes (the rest of its opening, then frames from its position) until the
 * socket is full or the stream is caught up. Returns 0, or -1 when the connection was closed. */
static int flush(conn *c) {
    for (;;) {
        struct iovec iov[IOV_BATCH];
        int n = 0;
        size_t total = 0;
        if (c->head) iov[n++] = (struct iovec){c->head + c->head_off, c->head_len - c->head_off};
        for (uint32_t k = c->next; k < S.played && n < IOV_BATCH; k++) {
            uint32_t skip = k == c->next ? c->offset : 0;
            iov[n++] = (struct iovec){(char *)frame(k) + skip, frame_len(k) - skip};
        }
        for (int i = 0; i < n; i++) total += iov[i].iov_len;
        if (n == 0) break;
        struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
        ssize_t w = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (!c->want_out) watch(c, 1);
                return 0;
            }
            finish(c, 1);
            return -1;
        }
        size_t left = (size_t)w;
        if (c->head) {
            uint32_t rest = c->head_len - c->head_off;
            if (left < rest) {
                c->head_off += (uint32_t)left;
                left = 0;
            } else {
                left -= rest;
                free(c->head);
                c->head = NULL;
            }
        }
        advance(c, left);
        if ((size_t)w < total) {
            if (!c->want_out) watch(c, 1);
            return 0;
        }
    }
    if (c->want_out) watch(c, 0);
    if (S.closed && c->next == S.played) {
        /* Caught up with a closed scenario: end the chunked body and the connection. */
        send(c->fd, LAST_CHUNK, sizeof LAST_CHUNK - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        finish(c, 0);
        return -1;
    }
    return 0;
}

static void answer(conn *c, const char *text, size_t len) {
    send(c->fd, text, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    finish(c, 0);
}

static void healthz(conn *c) {
    char body[512], text[1024];
    int n = snprintf(body, sizeof body,
                     "{\"status\":\"ok\",\"clients\":%u,\"lastEventId\":%u,\"startedAt\":\"%s\",\"speed\":%.17g,\"closed\":%s}",
                     S.stream_count, S.played, S.started_at, S.speed, S.closed ? "true" : "false");
    int m = snprintf(text, sizeof text,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
                     n, body);
    answer(c, text, (size_t)m);
}

/* A Last-Event-ID value: plain decimal digits, or -1 for none or anything else. */
static long parse_id(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) end--;
    if (p == end || end - p > 18) return -1;
    long id = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9') return -1;
        id = id * 10 + (*p - '0');
    }
    return id;
}

static void open_stream(conn *c, long after) {
    if (S.stream_count == S.stream_cap) S.streams = grow(S.streams, sizeof(conn *) * (S.stream_cap = S.stream_cap ? S.stream_cap * 2 : 1024));
    c->slot = (int)S.stream_count;
    S.streams[S.stream_count++] = c;
    /* A fresh client gets the board; a returning one every event after its id, from the history. */
    slice snap = after < 0 ? snapshot() : (slice){NULL, 0};
    c->next = after < 0 || (uint64_t)after > S.played ? S.played : (uint32_t)after;
    c->offset = 0;
    size_t head = stream_head_len + snap.len;
    c->head = grow(NULL, head);
    memcpy(c->head, stream_head, stream_head_len);
    if (snap.len) memcpy(c->head + stream_head_len, snap.bytes, snap.len);
    c->head_len = (uint32_t)head;
    c->head_off = 0;
    flush(c);
}

/* Reads the request; once it is whole, answers it. */
static void read_request(conn *c) {
    ssize_t n = recv(c->fd, scratch, sizeof scratch, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        finish(c, 0);
        return;
    }
    if (n < 0) return;
    char *req = scratch;
    size_t len = (size_t)n;
    if (c->request || !memmem(scratch, len, "\r\n\r\n", 4)) {
        /* A request in pieces (rare): keep what came so far. */
        if (c->request_len + len > MAX_REQUEST) {
            answer(c, TOO_LARGE, sizeof TOO_LARGE - 1);
            return;
        }
        c->request = grow(c->request, c->request_len + len + 1);
        memcpy(c->request + c->request_len, scratch, len);
        c->request_len += (uint32_t)len;
        req = c->request;
        len = c->request_len;
        if (!memmem(req, len, "\r\n\r\n", 4)) return;
    }
    char *end = memmem(req, len, "\r\n\r\n", 4);
    char *path = req + 4;
    if (len < 5 || memcmp(req, "GET ", 4) != 0) {
        answer(c, NOT_FOUND, sizeof NOT_FOUND - 1);
        return;
    }
    char *path_end = path;
    while (path_end < end && *path_end != ' ' && *path_end != '?') path_end++;
    size_t path_len = (size_t)(path_end - path);
    if (path_len == 8 && memcmp(path, "/healthz", 8) == 0) {
        healthz(c);
        return;
    }
    if (path_len != 7 || memcmp(path, "/events", 7) != 0) {
        answer(c, NOT_FOUND, sizeof NOT_FOUND - 1);
        return;
    }
    if (S.closed) {
        answer(c, NO_CONTENT, sizeof NO_CONTENT - 1);
        return;
    }
    long after = -1;
    /* The request line ends at the first CR (at `end` itself when there are no headers). */
    char *request_line_end = memchr(req, '\r', (size_t)(end - req) + 1);
    char *query = *path_end == '?' ? memmem(path_end, (size_t)(request_line_end - path_end), "lastEventId=", 12) : NULL;
    if (query) {
        char *value_end = query + 12;
        while (value_end < request_line_end && *value_end != '&' && *value_end != ' ') value_end++;
        after = parse_id(query + 12, value_end);
    }
    for (char *h = request_line_end + 2; h < end;) {
        char *eol = memmem(h, (size_t)(end + 2 - h), "\r\n", 2);
        if (!eol) break;
        if (eol - h > 14 && strncasecmp(h, "last-event-id:", 14) == 0) after = parse_id(h + 14, eol);
        h = eol + 2;
    }
    free(c->request);
    c->request = NULL;
    c->request_len = 0;
    open_stream(c, after);
}

static void accept_all(void) {
    for (;;) {
        int fd = accept4(S.listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE) {
                /* Out of descriptors: stop listening until a connection closes. */
                fprintf(stderr, "limit-peer: out of file descriptors at %u streams\n", S.stream_count);
                struct epoll_event ev = {.events = 0, .data.ptr = &LISTENER_TAG};
                epoll_ctl(S.epoll, EPOLL_CTL_MOD, S.listener, &ev);
                S.listening = 0;
            }
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conn *c = calloc(1, sizeof *c);
        if (!c) die("out of memory");
        c->fd = fd;
        c->slot = -1;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
        epoll_ctl(S.epoll, EPOLL_CTL_ADD, fd, &ev);
    }
}

/* ---- the timeline ------------------------------------------------------------------------- */

/* Frames [from, to) to every stream: one send() per caught-up socket (the frames lie next to each
 * other in memory); a socket that takes less is caught up from the history when it is writable. */
static void broadcast(uint32_t from, uint32_t to) {
    const char *bytes = frame(from);
    size_t len = S.frame_at[to] - S.frame_at[from];
    /* Backwards, so that a stream closed here (swapped with the last) is never skipped. */
    for (uint32_t i = S.stream_count; i-- > 0;) {
        conn *c = S.streams[i];
        if (!c->head && c->next == from && c->offset == 0) {
            ssize_t w = send(c->fd, bytes, len, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (w == (ssize_t)len) {
                c->next = to;
            } else if (w >= 0) {
                advance(c, (size_t)w);
                watch(c, 1);
            } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                watch(c, 1);
            } else {
                finish(c, 1);
            }
        } else {
            uint64_t behind = S.frame_at[to] - S.frame_at[c->next] - c->offset;
            if (to - c->next > MAX_BEHIND_FRAMES || behind > MAX_BEHIND_BYTES) finish(c, 1);
        }
    }
    if (S.closed) {
        for (uint32_t i = S.stream_count; i-- > 0;) {
            conn *c = S.streams[i];
            if (caught_up(c)) flush(c); /* ends the body and the connection */
        }
    }
}

/* Plays every entry that is due, then arms the timer for the next one. Events due together (the
 * peer is behind, as in the throughput run) go out together: one send per socket per turn of the
 * loop, and the sockets that want to be written, and /healthz, get their turn in between. */
static void play_due(void) {
    uint64_t expirations;
    while (read(S.timer, &expirations, sizeof expirations) > 0) {}
    int64_t now = now_ns() - S.start_ns;
    uint32_t from = S.played;
    while (S.played_entries < S.entry_count && !S.closed && S.entries[S.played_entries].due_ns <= now) {
        entry *e = &S.entries[S.played_entries++];
        if (e->is_drop) {
            if (S.played > from) broadcast(from, S.played);
            from = S.played;
            /* Cut every stream without a word; clients come back with Last-Event-ID. */
            while (S.stream_count > 0) finish(S.streams[S.stream_count - 1], 0);
            continue;
        }
        if (e->flight >= 0) S.board[e->flight] = e->flight_json;
        if (S.frame_ends[S.played++]) S.closed = 1;
    }
    if (S.played > from) broadcast(from, S.played);
    if (S.played_entries < S.entry_count && !S.closed) {
        /* An absolute time already past fires at once. */
        int64_t due = S.start_ns + S.entries[S.played_entries].due_ns;
        struct itimerspec t = {.it_value = {.tv_sec = due / 1000000000, .tv_nsec = due % 1000000000}};
        timerfd_settime(S.timer, TFD_TIMER_ABSTIME, &t, NULL);
    }
}

/* ---- main --------------------------------------------------------------------------------- */

static void started_at(void) {
    struct timespec wall;
    int64_t before = now_ns();
    clock_gettime(CLOCK_REALTIME, &wall);
    int64_t after = now_ns();
    S.start_ns = before + (after - before) / 2;
    struct tm tm;
    gmtime_r(&wall.tv_sec, &tm);
    size_t n = strftime(S.started_at, sizeof S.started_at, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(S.started_at + n, sizeof S.started_at - n, ".%06ldZ", wall.tv_nsec / 1000);
}

/* The head and the chunk "retry: N\n\n", as sseflights --retry N writes the frame. */
static void build_stream_head(long retry) {
    char frame[32];
    int n = snprintf(frame, sizeof frame, "retry: %ld\n\n", retry);
    stream_head_len = (size_t)snprintf(stream_head, sizeof stream_head, "%s%x\r\n%s\r\n", RESPONSE_HEAD, n, frame);
}

int main(int argc, char **argv) {
    const char *frames = NULL, *host = "127.0.0.1";
    long port = 5000, retry = 3000;
    S.speed = 1;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc) die("missing value for %s", argv[i]);
        char *end;
        if (strcmp(argv[i], "--frames") == 0) frames = argv[i + 1];
        else if (strcmp(argv[i], "--host") == 0) host = argv[i + 1];
        else if (strcmp(argv[i], "--port") == 0) {
            port = strtol(argv[i + 1], &end, 10);
            if (*end || port < 1 || port > 65535) die("--port must be a whole number from 1 to 65535, not '%s'", argv[i + 1]);
        } else if (strcmp(argv[i], "--speed") == 0) {
            S.speed = strtod(argv[i + 1], &end);
            if (*end || !(S.speed > 0)) die("--speed must be a number greater than 0, not '%s'", argv[i + 1]);
        } else if (strcmp(argv[i], "--retry") == 0) {
            retry = strtol(argv[i + 1], &end, 10);
            if (*end || end == argv[i + 1] || retry < 0 || retry > 86400000) die("--retry must be a whole number of milliseconds from 0 to 86400000, not '%s'", argv[i + 1]);
        } else die("unknown option %s (options: --frames FILE --port N --host IP --speed X --retry MS)", argv[i]);
    }
    if (!frames) die("--frames is required (write one with: sseflights-bench frames --scenario FILE)");
    load(frames);
    build_stream_head(retry);

    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) die("--host must be an IPv4 address, not '%s'", host);
    S.listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(S.listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(S.listener, (struct sockaddr *)&addr, sizeof addr) < 0) die("cannot listen on %s:%ld: %s", host, port, strerror(errno));
    if (listen(S.listener, 4096) < 0) die("cannot listen on %s:%ld: %s", host, port, strerror(errno));

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);
    S.signals = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    S.timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    S.epoll = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &LISTENER_TAG};
    epoll_ctl(S.epoll, EPOLL_CTL_ADD, S.listener, &ev);
    S.listening = 1;
    ev.data.ptr = &TIMER_TAG;
    epoll_ctl(S.epoll, EPOLL_CTL_ADD, S.timer, &ev);
    ev.data.ptr = &SIGNAL_TAG;
    epoll_ctl(S.epoll, EPOLL_CTL_ADD, S.signals, &ev);

    started_at();
    S.snapshot_id = -1;
    printf("limit peer listening on http://%s:%ld/ startedAt=%s, %u frames\n", host, port, S.started_at, S.frame_count);
    fflush(stdout);
    play_due();

    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(S.epoll, events, 256, -1);
        if (n < 0 && errno != EINTR) die("epoll_wait: %s", strerror(errno));
        for (int i = 0; i < n; i++) {
            void *tag = events[i].data.ptr;
            if (tag == &LISTENER_TAG) {
                accept_all();
            } else if (tag == &TIMER_TAG) {
                play_due();
            } else if (tag == &SIGNAL_TAG) {
                while (S.stream_count > 0) finish(S.streams[S.stream_count - 1], 0);
                return 0;
            } else {
                conn *c = tag;
                uint32_t e = events[i].events;
                if (c->dead) continue; /* closed earlier in this batch */
                if (e & (EPOLLERR | EPOLLHUP)) {
                    finish(c, 0);
                } else if (c->slot < 0) {
                    read_request(c); /* the request, or its end (recv 0) */
                } else if (e & (EPOLLIN | EPOLLRDHUP)) {
                    /* A client says nothing once streaming: only that it has gone. */
                    ssize_t r = recv(c->fd, scratch, sizeof scratch, 0);
                    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) finish(c, 0);
                    else if (e & EPOLLOUT) flush(c);
                } else if (e & EPOLLOUT) {
                    flush(c);
                }
            }
        }
        bury();
    }
}
