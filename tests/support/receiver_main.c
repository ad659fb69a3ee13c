/*
 * receiver_main.c - the test receiver as a program, for bench/webhooks.sh:
 * answers every webhook with 200 at once and prints "arrival_ns webhook-id"
 * per request on stdout until SIGTERM; with DELAY_MS it waits that long
 * before each answer, like a receiver across a network.
 *
 *   itaku-receiver PORT [DELAY_MS]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include "receiver.h"

static struct receiver rv;

int main(int argc, char **argv)
{
	sigset_t set;
	int sig;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: itaku-receiver PORT [DELAY_MS]\n");
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (receiver_start(&rv, atoi(argv[1]))) {
		perror("itaku-receiver");
		return 1;
	}
	rv.quiet = 1;
	rv.delay_ms = argc == 3 ? atoi(argv[2]) : 0;
	rv.log = stdout;
	sigwait(&set, &sig);
	receiver_stop(&rv);
	return 0;
}
