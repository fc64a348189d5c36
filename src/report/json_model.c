#include "report/json_model.h"

#include <stdlib.h>
#include <string.h>

json_t *
json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
json_loc(const struct srcloc *loc)
{
	if (loc == NULL || loc->file == NULL)
		return json_null();
	char buf[600];
	return json_string(srcloc_format(loc, buf, sizeof(buf)));
}

json_t *
json_addr(const struct ipaddr *a)
{
	char buf[ADDR_STRLEN];
	return json_string(ipaddr_format(a, buf));
}

json_t *
json_prefix(const struct prefix *p)
{
	char buf[PREFIX_STRLEN];
	return json_string(prefix_format(p, buf));
}

static json_t *
json_step(const struct step *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(step_kind_name(s->kind)));
	json_object_set_new(o, "site", json_str(s->site));
	json_object_set_new(o, "iface", json_str(s->iface));
	json_object_set_new(o, "what", json_str(s->what));
	json_object_set_new(o, "source", json_loc(&s->loc));
	if (s->rule) {
		json_t *r = json_object();
		json_object_set_new(
		    r, "action",
		    json_string(rule_action_name(s->rule->action)));
		json_object_set_new(
		    r, "origin",
		    json_string(rule_origin_name(s->rule->origin)));
		json_object_set_new(r, "description", json_str(s->rule->descr));
		json_object_set_new(r, "tracker", json_str(s->rule->tracker));
		json_object_set_new(r, "position",
				    s->rule->position
					? json_integer(s->rule->position)
					: json_null());
		json_object_set_new(o, "rule", r);
	}
	if (s->p2) {
		json_t *p = json_object();
		json_object_set_new(p, "description", json_str(s->p2->descr));
		json_object_set_new(p, "local", json_prefix(&s->p2->local.net));
		json_object_set_new(p, "remote",
				    json_prefix(&s->p2->remote.net));
		json_object_set_new(o, "phase2", p);
	}
	if (s->route) {
		json_t *r = json_object();
		json_object_set_new(
		    r, "kind", json_string(route_kind_name(s->route->kind)));
		json_object_set_new(r, "network", json_prefix(&s->route->net));
		json_object_set_new(r, "iface", json_str(s->route->iface));
		json_object_set_new(o, "route", r);
	}
	json_object_set_new(o, "failed", json_boolean(s->failed));
	json_object_set_new(o, "cause", json_str(finding_name(s->cause)));
	json_object_set_new(o, "assumed", json_boolean(s->assumed));
	return o;
}

json_t *
json_path(const struct path *p)
{
	json_t *o = json_object();
	const char *disp =
	    p->n == 0 ? "NOT_TRACED"
	    : p->delivered
		? "DELIVERED"
		: step_kind_name(p->fail_at >= 0 ? p->steps[p->fail_at].kind
						 : p->disposition);
	json_object_set_new(o, "disposition", json_string(disp));
	json_object_set_new(o, "delivered", json_boolean(p->delivered));
	json_object_set_new(o, "fail_at",
			    p->fail_at >= 0 ? json_integer(p->fail_at)
					    : json_null());
	json_t *steps = json_array();
	for (size_t i = 0; i < p->n; i++)
		json_array_append_new(steps, json_step(&p->steps[i]));
	json_object_set_new(o, "steps", steps);
	return o;
}

json_t *
json_flow(const struct flow_trace *ft)
{
	json_t *o = json_object();
	json_object_set_new(o, "from", json_addr(&ft->pkt.src));
	json_object_set_new(o, "to", json_addr(&ft->pkt.dst));
	json_object_set_new(o, "proto", json_str(ft->proto_text));
	json_object_set_new(o, "size", json_integer(ft->pkt.size));
	json_object_set_new(o, "df", json_boolean(ft->pkt.df));
	json_object_set_new(o, "request", json_path(&ft->request));
	json_object_set_new(o, "reply", json_path(&ft->reply));
	json_object_set_new(o, "observed", json_str(ft->observed));
	json_t *as = json_array();
	for (size_t i = 0; i < ft->nassump; i++)
		json_array_append_new(as, json_string(ft->assumptions[i]));
	json_object_set_new(o, "assumptions", as);
	return o;
}

json_t *
json_finding(const struct finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(finding_name(f->id)));
	json_object_set_new(o, "severity",
			    json_string(severity_name(f->severity)));
	json_object_set_new(o, "site", json_str(f->site));
	json_object_set_new(o, "section", json_string(section_key(f->section)));
	json_object_set_new(o, "summary", json_str(f->summary));
	json_object_set_new(o, "detail", json_str(f->detail));
	json_t *ev = json_array();
	for (size_t i = 0; i < f->nev; i++) {
		json_t *e = json_object();
		json_object_set_new(
		    e, "kind", json_string(evref_kind_name(f->ev[i].kind)));
		json_object_set_new(e, "source", json_loc(&f->ev[i].loc));
		json_object_set_new(e, "text", json_str(f->ev[i].text));
		json_array_append_new(ev, e);
	}
	json_object_set_new(o, "evidence", ev);
	json_object_set_new(o, "fix", json_str(f->fix));
	json_object_set_new(o, "confidence",
			    json_string(confidence_name(f->confidence)));
	json_object_set_new(o, "contradiction", json_str(f->contradiction));
	json_object_set_new(o, "ruled_out_by", json_str(f->ruled_out_by));
	json_object_set_new(o, "flow",
			    f->flow >= 0 ? json_integer(f->flow) : json_null());
	json_object_set_new(o, "hop",
			    f->hop >= 0 ? json_integer(f->hop) : json_null());
	json_object_set_new(o, "on_reply", json_boolean(f->reply));
	return o;
}

/* jansson writes in tiny pieces; batch them (most of the time otherwise
 * goes to fwrite on big configs). */
struct jbuf {
	FILE *f;
	bool err;
	size_t n;
	char buf[1 << 16];
};

static void
jbuf_flush(struct jbuf *b, const char *p, size_t n)
{
	if (n && fwrite(p, 1, n, b->f) != n)
		b->err = true;
}

static int
jbuf_put(const char *p, size_t n, void *ud)
{
	struct jbuf *b = ud;
	if (b->n + n > sizeof(b->buf)) {
		jbuf_flush(b, b->buf, b->n);
		b->n = 0;
	}
	if (n > sizeof(b->buf)) {
		jbuf_flush(b, p, n);
		return 0;
	}
	memcpy(b->buf + b->n, p, n);
	b->n += n;
	return 0;
}

int
json_emit(FILE *f, json_t *v)
{
	struct jbuf *b = malloc(sizeof(*b));
	int rc = -1;
	if (b != NULL) {
		b->f = f;
		b->err = false;
		b->n = 0;
		rc = json_dump_callback(v, jbuf_put, b,
					JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		jbuf_flush(b, b->buf, b->n);
		if (b->err)
			rc = -1;
		free(b);
	}
	if (fputc('\n', f) == EOF)
		rc = -1;
	json_decref(v);
	return rc;
}
