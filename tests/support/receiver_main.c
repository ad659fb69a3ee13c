/*
 * receiver_main.c - the test receiver as a program, for bench/webhooks.sh:
 * answers every webhook with 200 at once and prints "arrival_ns webhook-id"
 * per request on stdout until SIGTERM.
 *
 *   itaku-receiver PORT
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

	if (argc != 2) {
		fprintf(stderr, "usage: itaku-receiver PORT\n");
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
	rv.log = stdout;
	sigwait(&set, &sig);
	receiver_stop(&rv);
	return 0;
}
