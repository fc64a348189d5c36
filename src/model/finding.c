#include "model/finding.h"

#include <stdlib.h>
#include <string.h>

static const struct finding_info catalog[FINDING_COUNT] = {
#define CHECK(sym, id, sec, sev, what) [CHK_##sym] = {id, sec, sev, what},
#include "model/findings.def"
#undef CHECK
};

const struct finding_info *
finding_info(enum finding_id id)
{
	return &catalog[(unsigned)id < FINDING_COUNT ? id : FINDING_NONE];
}

const char *
finding_name(enum finding_id id)
{
	return finding_info(id)->name;
}

enum finding_id
finding_by_name(const char *name)
{
	for (int i = 1; name && i < FINDING_COUNT; i++)
		if (strcmp(catalog[i].name, name) == 0)
			return (enum finding_id)i;
	return FINDING_NONE;
}

struct finding *
finding_add(struct arena *ar, struct findings *fs, enum finding_id id,
	    enum severity sev, const char *site, enum section sec)
{
	struct finding *f = ARENA_PUSH(ar, fs->f, fs->n, fs->cap);
	f->id = id;
	f->severity = sev;
	f->site = site;
	f->section = sec;
	f->confidence = CONF_PREDICTED;
	f->flow = -1;
	f->hop = -1;
	return f;
}

void
finding_evidence(struct arena *ar, struct finding *f, enum evref_kind kind,
		 const struct srcloc *loc, const char *text)
{
	struct evref *e = ARENA_PUSH(ar, f->ev, f->nev, f->cev);
	e->kind = kind;
	if (loc)
		e->loc = *loc;
	e->text = text;
}

void
findings_collect(struct arena *ar, struct findings *fs, enum section sec,
		 const char *site, const char *what)
{
	for (size_t i = 0; i < fs->nc; i++)
		if (fs->c[i].section == sec && strcmp(fs->c[i].what, what) == 0)
			return;
	struct collect *c = ARENA_PUSH(ar, fs->c, fs->nc, fs->cc);
	c->section = sec;
	c->site = site;
	c->what = what;
}

void
findings_note(struct arena *ar, struct findings *fs, enum section sec,
	      const char *site, const char *text)
{
	struct note *n = ARENA_PUSH(ar, fs->notes, fs->nnotes, fs->cnotes);
	n->section = sec;
	n->site = site;
	n->text = text;
}

void
findings_remove(struct findings *fs, size_t i)
{
	if (i >= fs->n)
		return;
	memmove(&fs->f[i], &fs->f[i + 1], (fs->n - i - 1) * sizeof(*fs->f));
	fs->n--;
}

static int
strcmp_null(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int
finding_cmp(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	if (a->section != b->section)
		return a->section < b->section ? -1 : 1;
	if (a->confidence != b->confidence)
		return a->confidence < b->confidence ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	int c = strcmp_null(a->site, b->site);
	if (c)
		return c;
	c = strcmp(finding_name(a->id), finding_name(b->id));
	return c ? c : strcmp_null(a->summary, b->summary);
}

static int
collect_cmp(const void *pa, const void *pb)
{
	const struct collect *a = pa, *b = pb;
	/* the status archive (OPNsense: the box state) answers several
	 * sections: asked for first */
	bool xa = strncmp(a->what, "status archive: ", 16) == 0 ||
		  strncmp(a->what, "box state: ", 11) == 0,
	     xb = strncmp(b->what, "status archive: ", 16) == 0 ||
		  strncmp(b->what, "box state: ", 11) == 0;
	if (xa != xb)
		return xa ? -1 : 1;
	if (a->section != b->section)
		return a->section < b->section ? -1 : 1;
	int c = strcmp_null(a->site, b->site);
	return c ? c : strcmp(a->what, b->what);
}

void
findings_sort(struct findings *fs)
{
	if (fs->n > 1)
		qsort(fs->f, fs->n, sizeof(*fs->f), finding_cmp);
	if (fs->nc > 1)
		qsort(fs->c, fs->nc, sizeof(*fs->c), collect_cmp);
}

const char *
severity_name(enum severity s)
{
	static const char *const n[] = {"info", "warning", "error"};
	return n[s];
}

bool
severity_parse(const char *s, enum severity *out)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, severity_name((enum severity)i)) == 0) {
			*out = (enum severity)i;
			return true;
		}
	return false;
}

const char *
confidence_name(enum confidence c)
{
	static const char *const n[] = {"confirmed", "predicted", "suspected",
					"ruled out"};
	return n[c];
}

bool
finding_counts(const struct finding *f)
{
	return f->confidence != CONF_RULED_OUT;
}

static const struct {
	const char *key, *title;
} sections[SEC_COUNT] = {
    {"ipsec-rules", "No traffic: IPsec rules tab"},
    {"firewall-logs", "No traffic: firewall logs"},
    {"wan-blocks", "No traffic: WAN blocks"},
    {"lan-rules", "No traffic: LAN rules"},
    {"setting-mismatch", "No traffic: setting mismatch"},
    {"routing", "No traffic: routing"},
    {"host-gateway", "Some hosts: gateway"},
    {"host-mask", "Some hosts: subnet mask"},
    {"host-firewall", "Some hosts: host firewall"},
    {"rules-both-ends", "Some hosts: rules on both ends"},
    {"connection-hangs", "Connection hangs"},
    {"disappearing-traffic", "Disappearing traffic"},
    {"beyond-the-guide", "Beyond the guide"},
};

const char *
section_name(enum section s)
{
	return sections[s].title;
}

const char *
section_key(enum section s)
{
	return sections[s].key;
}

const char *
evref_kind_name(enum evref_kind k)
{
	static const char *const n[] = {"config", "log", "capture", "status"};
	return n[k];
}
