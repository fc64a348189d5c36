/* pfSense's status archive as a site input: the members ipsecdiag can
 * use are read from memory and handed to the existing importers (config,
 * SA status, IPsec log) or to the box-state readers (routes, interfaces,
 * neighbours, SPD, errors). doc/behaviour/status-archive.md. */
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import/linux/linux.h"
#include "import/logs/log_filterlog.h"
#include "import/load.h"
#include "import/status/st_archive.h"
#include "import/pf/pf.h"
#include "import/status/st_readers.h"
#include "import/xml.h"

/* cfg_pfsense.c */
bool cfg_import_tree(struct arena *ar, const struct xnode *root,
		     struct input_file *in, struct site *s);

/* Members by name (§2); the log titles vary with their line count. */
static const char *const used[] = {
    "config-sanitized.xml",
    "Product-Info.txt",
    "Product Info.txt",
    "_errors.txt",
    "IPsec-Status.txt",
    "IPsec-Status-Active SAs.txt",
    "IPsec-SAD.txt",
    "IPsec-SPD.txt",
    "Network-Routing tables.txt",
    "Network-Interfaces.txt",
    "Network-ARP Table.txt",
    "Network-NDP Table.txt",
    "Firewall-pf Firewall Rules.txt",
    "Firewall-Generated Ruleset.txt",
    "Firewall-pf State Table Contents.txt",
};

static bool
is_ipsec_log(const char *name)
{
	return strncmp(name, "Log-IPsec-Last ", 15) == 0;
}

static bool
is_filter_log(const char *name)
{
	return strncmp(name, "Log-Filter-Last ", 16) == 0;
}

static bool
want(const char *name)
{
	for (size_t i = 0; i < sizeof(used) / sizeof(*used); i++)
		if (strcmp(name, used[i]) == 0)
			return true;
	return is_ipsec_log(name) || is_filter_log(name);
}

struct st_ctx {
	struct arena *ar;
	struct site *s;
	struct input_file *in;
	struct st_archive a;
	char *parts; /* summary */
	bool ok;
};

/* "status_output.tgz:IPsec-SAD.txt", the name evidence cites. */
static struct input_file *
member_input(struct st_ctx *c, const struct st_member *m, enum input_kind kind)
{
	struct input_file *mi = arena_alloc(c->ar, sizeof(*mi));
	mi->path = arena_printf(c->ar, "%s:%s", c->in->path, m->name);
	mi->kind = kind;
	return mi;
}

static void
part(struct st_ctx *c, const char *text)
{
	c->parts = c->parts ? arena_printf(c->ar, "%s, %s", c->parts, text)
			    : arena_strdup(c->ar, text);
}

static void
read_config(struct st_ctx *c)
{
	const struct st_member *m =
	    st_archive_get(&c->a, "config-sanitized.xml");
	if (m == NULL)
		return;
	struct input_file *mi = member_input(c, m, INPUT_PFSENSE_XML);
	struct srcloc loc = {.file = mi->path};
	if (c->s->has_config) {
		diag(DIAG_NOTE, &loc,
		     "the site already has a config: its "
		     "sanitized copy is not read");
		return;
	}
	struct xml_parser *p = xml_begin(c->ar, mi->path, &xml_config_limits);
	bool fed = xml_feed(p, m->data, m->len, true);
	struct xnode *root = xml_end(p);
	if (!fed)
		root = NULL;
	if (root == NULL || !cfg_import_tree(c->ar, root, mi, c->s)) {
		c->ok = false;
		return;
	}
	part(c, "sanitized config");
}

/* Product-Info.txt, else the config's version, else the member set. */
static void
read_version(struct st_ctx *c)
{
	struct boxstate *b = &c->s->ev.box;
	const char *names[] = {"Product-Info.txt", "Product Info.txt"};
	for (size_t i = 0; i < 2 && !b->product_version; i++) {
		const struct st_member *m = st_archive_get(&c->a, names[i]);
		if (m && (b->product_version =
			      st_read_product(c->ar, m->data, m->len)))
			b->version_from = names[i];
	}
	if (b->product_version) {
		c->s->product_version = b->product_version;
	} else if (c->s->product_version) {
		b->product_version = c->s->product_version;
		b->version_from = "config-sanitized.xml <version>";
	} else if (st_archive_get(&c->a, "IPsec-Status.txt")) {
		b->product_version = "2.4.x";
		b->version_from = "member names (IPsec-Status.txt)";
	} else if (st_archive_get(&c->a, "_errors.txt")) {
		b->product_version = "2.7.1+";
		b->version_from = "member names (_errors.txt)";
	}
	if (b->product_version)
		part(c, arena_printf(c->ar, "version %s", b->product_version));
}

/* A member with text but nothing its reader understood holds the
 * command's error output (§1): evidence missing, not empty state. */
static void
no_output(struct st_ctx *c, const struct st_member *m)
{
	struct str t = str_trim((struct str){m->data, m->len}), first, rest;
	if (t.n == 0)
		return;
	str_split(t, '\n', &first, &rest);
	struct box_error *e =
	    ARENA_PUSH(c->ar, c->s->ev.box.errors, c->s->ev.box.nerrors,
		       c->s->ev.box.cerrors);
	e->loc = (struct srcloc){
	    .file = member_input(c, m, INPUT_UNKNOWN)->path, .line = 1};
	e->text =
	    arena_printf(c->ar, "%s holds no command output: %.*s", m->name,
			 (int)(first.n > 200 ? 200 : first.n), first.p);
}

static void
read_sa(struct st_ctx *c)
{
	/* one source of SA counters: swanctl (2.5+) or statusall (<= 2.4),
	 * setkey -D only without either (one SA per direction) */
	const char *names[] = {"IPsec-Status-Active SAs.txt",
			       "IPsec-Status.txt", "IPsec-SAD.txt"};
	for (size_t i = 0; i < 3; i++) {
		const struct st_member *m = st_archive_get(&c->a, names[i]);
		if (m == NULL)
			continue;
		struct input_file *mi = member_input(c, m, INPUT_SA_STATUS);
		size_t before = c->s->ev.nobs;
		if (!status_sa_import_text(c->ar, mi, c->s, m->data, m->len))
			c->ok = false;
		else if (c->s->ev.nobs == before &&
			 !memmem(m->data, m->len, "No SAD entries", 14) &&
			 !memmem(m->data, m->len, "Security Associations", 21))
			no_output(c, m);
		else
			part(c, mi->summary);
		if (i < 2)
			break;
	}
}

typedef size_t (*box_reader)(struct arena *, struct boxstate *, const char *,
			     const char *, size_t);

static void
read_box(struct st_ctx *c, const char *name, box_reader fn, const char *what,
	 const char *empty_marker)
{
	const struct st_member *m = st_archive_get(&c->a, name);
	if (m == NULL)
		return;
	const char *file = member_input(c, m, INPUT_UNKNOWN)->path;
	size_t n = fn(c->ar, &c->s->ev.box, file, m->data, m->len);
	if (n == 0 && !(empty_marker && memmem(m->data, m->len, empty_marker,
					       strlen(empty_marker))))
		no_output(c, m);
	else
		part(c, arena_printf(c->ar, "%zu %s", n, what));
}

/* The filter log reader reads files: the member is handed to it as an
 * anonymous memory file (memfd, never on disk) dated like the member, so
 * that syslog dates without a year resolve as for the box's own file. */
static void
read_filter_log(struct st_ctx *c, const struct st_member *m)
{
	struct input_file *mi = member_input(c, m, INPUT_FILTERLOG);
	struct srcloc loc = {.file = mi->path};
	int fd = memfd_create("ipsecdiag-member", MFD_CLOEXEC);
	size_t off = 0;
	while (fd >= 0 && off < m->len) {
		ssize_t w = write(fd, m->data + off, m->len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	struct timespec ts[2] = {{.tv_sec = m->mtime}, {.tv_sec = m->mtime}};
	if (fd < 0 || off < m->len || futimens(fd, ts) != 0) {
		diag(DIAG_WARNING, &loc,
		     "cannot hold the member in memory: "
		     "not read");
		if (fd >= 0)
			close(fd);
		return;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (log_filterlog_import_from(c->ar, mi, c->s, path)) {
		/* "<archive>:Log-Filter-Last 1000 entries.txt 12 lines ..." */
		const char *rest =
		    mi->summary ? strstr(mi->summary, ".txt ") : NULL;
		part(c, rest ? arena_printf(c->ar, "filter log%s", rest + 4)
			     : "filter log");
	} else
		c->ok = false;
	close(fd);
}

static void
read_logs(struct st_ctx *c)
{
	for (size_t i = 0; i < c->a.n; i++) {
		const struct st_member *m = &c->a.m[i];
		bool ipsec = is_ipsec_log(m->name);
		if (!ipsec && !is_filter_log(m->name))
			continue;
		if (str_trim((struct str){m->data, m->len}).n == 0)
			continue; /* nothing logged */
		size_t head = m->len < 8192 ? m->len : 8192;
		enum input_kind k =
		    input_recognize((const unsigned char *)m->data, head, NULL);
		if (k != (ipsec ? INPUT_IPSEC_LOG : INPUT_FILTERLOG)) {
			no_output(c, m); /* clog's or cat's error text */
			continue;
		}
		if (!ipsec) {
			read_filter_log(c, m);
			continue;
		}
		struct input_file *mi = member_input(c, m, INPUT_IPSEC_LOG);
		if (log_ipsec_import_text(c->ar, mi, c->s, m->data, m->len))
			part(c, mi->summary);
		else
			c->ok = false;
	}
}

/* A DHCP/PPPoE interface has no address in config.xml: the box's
 * ifconfig has it (§3), and with it the site knows its own WAN address
 * (peer matching, the automatic IPsec rules). The connected route
 * follows, as for a static address. */
size_t
st_fill_dynamic(struct arena *ar, struct site *s)
{
	const struct boxstate *b = &s->ev.box;
	size_t filled = 0;
	for (size_t i = 0; s->has_config && i < s->nifaces; i++) {
		struct iface *f = &s->ifaces[i];
		if (f->naddrs || !f->ipaddr_mode || !f->dev)
			continue;
		for (size_t k = 0; k < b->nifs; k++) {
			const struct box_if *x = &b->ifs[k];
			if (strcmp(x->name, f->dev) != 0)
				continue;
			for (size_t j = 0; j < x->naddrs; j++) {
				const struct ifaddr *a = &x->addrs[j];
				if (a->addr.fam != FAM_V4)
					continue;
				*ARENA_PUSH(ar, f->addrs, f->naddrs,
					    f->caddrs) = *a;
				struct route *r = ARENA_PUSH(
				    ar, s->routes, s->nroutes, s->croutes);
				*r = (struct route){
				    .kind = ROUTE_CONNECTED,
				    .net = prefix_make(a->addr, a->plen),
				    .iface = f->key,
				    .loc = x->loc,
				    .origin = arena_printf(
					ar,
					"interface "
					"%s (address from the box)",
					f->descr ? f->descr : f->key),
				    .disabled = !f->enabled};
				filled++;
			}
		}
	}
	return filled;
}

static void
fill_dynamic(struct st_ctx *c)
{
	size_t filled = st_fill_dynamic(c->ar, c->s);
	if (filled)
		part(c, arena_printf(c->ar,
				     "%zu dynamic interface address%s "
				     "from ifconfig",
				     filled, filled == 1 ? "" : "es"));
}

bool
status_archive_import(struct arena *ar, struct input_file *in, struct site *s)
{
	struct st_ctx c = {.ar = ar, .s = s, .in = in, .ok = true};
	c.ok = st_archive_read(ar, in->path, want, &c.a);
	if (c.a.n == 0) {
		struct srcloc loc = {.file = in->path};
		if (c.ok)
			diag(DIAG_ERROR, &loc,
			     "no member of a pfSense status "
			     "archive (status_output/config-sanitized.xml, "
			     "IPsec-*.txt, ...)");
		return false;
	}
	/* setkey -D key lines go first, whether the SAD is read or not */
	const struct st_member *sad = st_archive_get(&c.a, "IPsec-SAD.txt");
	if (sad)
		sa_scrub_keys(sad->data, sad->len);
	struct boxstate *b = &s->ev.box;
	b->present = true;
	b->archive = in->path;
	read_config(&c);
	read_version(&c);
	/* interfaces first: a DHCP WAN's address orients the SAD's SAs */
	read_box(&c, "Network-Interfaces.txt", st_read_ifconfig, "interfaces",
		 NULL);
	fill_dynamic(&c);
	read_sa(&c);
	read_box(&c, "IPsec-SPD.txt", st_read_spd, "kernel policies",
		 "No SPD entries");
	read_box(&c, "Network-Routing tables.txt", st_read_netstat, "routes",
		 NULL);

	read_box(&c, "Network-ARP Table.txt", st_read_arp, "ARP entries", NULL);
	read_box(&c, "Network-NDP Table.txt", st_read_ndp, "NDP entries",
		 "Neighbor");
	read_box(&c, "Firewall-pf Firewall Rules.txt", st_read_pfrules,
		 "loaded rules", NULL);
	read_box(&c, "Firewall-pf State Table Contents.txt", st_read_pfstates,
		 "states", "ALTQ");
	const struct st_member *rd =
	    st_archive_get(&c.a, "Firewall-Generated Ruleset.txt");
	if (rd) {
		b->rules_debug = rd->data;
		b->rules_debug_len = rd->len;
		b->rules_debug_file = member_input(&c, rd, INPUT_UNKNOWN)->path;
		size_t n = pf_read_rules_debug(ar, b, b->rules_debug_file,
					       rd->data, rd->len);
		part(&c, arena_printf(ar, "%zu generated rules%s", n,
				      b->rd_why_not ? " (not all understood)"
						    : ""));
	}
	const struct st_member *ld =
	    st_archive_get(&c.a, "Firewall-pf Firewall Rules.txt");
	if (ld && b->rules_file)
		pf_read_pfctl_rules(ar, b, b->rules_file, ld->data, ld->len);
	read_logs(&c);
	const struct st_member *err = st_archive_get(&c.a, "_errors.txt");
	if (err)
		st_read_errors(ar, b,
			       member_input(&c, err, INPUT_UNKNOWN)->path,
			       err->data, err->len);
	if (b->nerrors)
		part(&c,
		     arena_printf(ar, "%zu items not collected", b->nerrors));
	in->summary = arena_printf(ar, "status archive (%s)",
				   c.parts ? c.parts : "nothing usable");
	return c.ok;
}

static bool
want_ifconfig(const char *name)
{
	return strcmp(name, "Network-Interfaces.txt") == 0;
}

size_t
status_archive_addrs(struct arena *ar, const char *path, struct boxstate *b)
{
	struct st_archive a = {0};
	if (!st_archive_read(ar, path, want_ifconfig, &a))
		return 0;
	const struct st_member *m =
	    st_archive_get(&a, "Network-Interfaces.txt");
	return m ? st_read_ifconfig(ar, b, path, m->data, m->len) : 0;
}
