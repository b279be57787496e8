/*
 * httpd.h - a tiny HTTP/1.1 server on 127.0.0.1 for unit tests of the JSON
 * API client (test_pypi.c, test_cooldown.c): a thread per connection,
 * keep-alive, and a route table with the fault modes the fixture server
 * has (429 once with Retry-After, 5xx, stall, close, oversized bodies).
 * It counts connections, requests per route and the most requests in
 * flight at once, so tests can check concurrency and connection reuse.
 */
#ifndef PIPCANARY_TEST_HTTPD_H
#define PIPCANARY_TEST_HTTPD_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum route_mode {
	ROUTE_OK,          /* status + body */
	ROUTE_FAIL_FIRST,  /* fail_status for the first fail_times, then OK */
	ROUTE_STALL,       /* headers, then nothing until the client leaves */
	ROUTE_CLOSE,       /* close the connection at once */
	ROUTE_SLOW,        /* sleep delay_ms, then OK */
};

struct route {
	const char *path;
	enum route_mode mode;
	int status;            /* of the OK answer (0: 200) */
	const char *body;      /* NULL: "{}" */
	size_t body_len;       /* 0: strlen(body) */
	int fail_status;       /* ROUTE_FAIL_FIRST */
	int fail_times;
	const char *retry_after; /* header value on failures, or NULL */
	int delay_ms;
	const char *location;  /* ROUTE_OK: a Location header (redirects) */
	atomic_int hits;
};

struct httpd {
	int fd;
	int port;
	pthread_t thread;
	struct route *routes;
	size_t nr_routes;
	atomic_int connections;
	atomic_int in_flight;
	atomic_int max_in_flight;
	atomic_int stop;
};

struct httpd_conn {
	struct httpd *h;
	int fd;
};

static inline void httpd_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static inline int httpd_send(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static inline int httpd_answer(int fd, int status, const char *extra,
			       const char *body, size_t len)
{
	char head[512];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
			 "Content-Length: %zu\r\n%s\r\n",
			 status, len, extra ? extra : "");
	if (httpd_send(fd, head, (size_t)n) < 0)
		return -1;
	return httpd_send(fd, body, len);
}

static inline void *httpd_conn_main(void *arg)
{
	struct httpd_conn *c = arg;
	struct httpd *h = c->h;
	char buf[8192];
	size_t have = 0;
	for (;;) {
		char *end;
		while (!(buf[have] = '\0', end = strstr(buf, "\r\n\r\n"))) {
			if (have >= sizeof(buf) - 1)
				goto out;
			ssize_t n = recv(c->fd, buf + have, sizeof(buf) - 1 - have, 0);
			if (n <= 0)
				goto out;
			have += (size_t)n;
		}
		char path[1024] = "";
		sscanf(buf, "GET %1023s", path);
		size_t used = (size_t)(end + 4 - buf);
		memmove(buf, buf + used, have - used);
		have -= used;

		int now = atomic_fetch_add(&h->in_flight, 1) + 1;
		int max = atomic_load(&h->max_in_flight);
		while (now > max &&
		       !atomic_compare_exchange_weak(&h->max_in_flight, &max, now))
			;
		struct route *r = NULL;
		for (size_t i = 0; i < h->nr_routes; i++)
			if (!strcmp(h->routes[i].path, path))
				r = &h->routes[i];
		int rc = 0;
		if (!r) {
			rc = httpd_answer(c->fd, 404, NULL, "{\"message\": \"Not Found\"}", 24);
		} else {
			int hit = atomic_fetch_add(&r->hits, 1);
			const char *body = r->body ? r->body : "{}";
			size_t len = r->body_len ? r->body_len : strlen(body);
			int status = r->status ? r->status : 200;
			char extra[128] = "";
			switch (r->mode) {
			case ROUTE_FAIL_FIRST:
				if (hit < r->fail_times) {
					if (r->retry_after)
						snprintf(extra, sizeof(extra),
							 "Retry-After: %s\r\n",
							 r->retry_after);
					rc = httpd_answer(c->fd, r->fail_status,
							  extra, "{}", 2);
					break;
				}
				rc = httpd_answer(c->fd, status, NULL, body, len);
				break;
			case ROUTE_STALL: {
				const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{";
				httpd_send(c->fd, head, strlen(head));
				/* Until the client gives up (EOF) or 20 s. */
				struct timeval tv = {20, 0};
				setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
				char junk[64];
				while (recv(c->fd, junk, sizeof(junk), 0) > 0)
					;
				rc = -1;
				break;
			}
			case ROUTE_CLOSE:
				rc = -1;
				break;
			case ROUTE_SLOW:
				httpd_sleep_ms(r->delay_ms);
				rc = httpd_answer(c->fd, status, NULL, body, len);
				break;
			case ROUTE_OK:
				if (r->location)
					snprintf(extra, sizeof(extra),
						 "Location: %s\r\n", r->location);
				rc = httpd_answer(c->fd, status, extra, body, len);
				break;
			}
		}
		atomic_fetch_sub(&h->in_flight, 1);
		if (rc < 0)
			break;
	}
out:
	close(c->fd);
	free(c);
	return NULL;
}

static inline void *httpd_main(void *arg)
{
	struct httpd *h = arg;
	for (;;) {
		int fd = accept(h->fd, NULL, NULL);
		if (fd < 0 || atomic_load(&h->stop)) {
			if (fd >= 0)
				close(fd);
			return NULL;
		}
		atomic_fetch_add(&h->connections, 1);
		struct httpd_conn *c = malloc(sizeof(*c));
		c->h = h;
		c->fd = fd;
		pthread_t t;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &attr, httpd_conn_main, c) != 0) {
			close(fd);
			free(c);
		}
		pthread_attr_destroy(&attr);
	}
}

/* Starts the server on 127.0.0.1 (port 0) serving routes (borrowed). */
static inline void httpd_start(struct httpd *h, struct route *routes, size_t n)
{
	memset(h, 0, sizeof(*h));
	h->routes = routes;
	h->nr_routes = n;
	h->fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(h->fd, (struct sockaddr *)&a, sizeof(a));
	socklen_t al = sizeof(a);
	getsockname(h->fd, (struct sockaddr *)&a, &al);
	h->port = ntohs(a.sin_port);
	listen(h->fd, 64);
	pthread_create(&h->thread, NULL, httpd_main, h);
}

static inline void httpd_stop(struct httpd *h)
{
	atomic_store(&h->stop, 1);
	/* Wake accept() with a connection of our own. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)h->port);
	connect(fd, (struct sockaddr *)&a, sizeof(a));
	close(fd);
	pthread_join(h->thread, NULL);
	close(h->fd);
}

/* A port on 127.0.0.1 where nothing listens (bound, then closed). */
static inline int httpd_dead_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	socklen_t al = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &al);
	close(fd);
	return ntohs(a.sin_port);
}

#endif
