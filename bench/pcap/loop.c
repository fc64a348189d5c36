/* The reference: a bare libpcap read loop over a capture (pcap_next_ex,
 * counting packets and bytes), what any capture reader must at least do. */
#include <pcap/pcap.h>
#include <stdio.h>

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	if (argc != 2)
		return fprintf(stderr, "usage: loop FILE\n"), 3;
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (p == NULL)
		return fprintf(stderr, "%s\n", err), 2;
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned long long n = 0, bytes = 0, sum = 0;
	while (pcap_next_ex(p, &h, &d) == 1) {
		n++;
		bytes += h->len;
		sum += h->caplen ? d[0] : 0; /* touch the data */
	}
	printf("%llu packets, %llu bytes (%llu)\n", n, bytes, sum);
	pcap_close(p);
	return 0;
}
