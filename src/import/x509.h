/* X.509 certificates from configs, decoded with OpenSSL's libcrypto into
 * model/site.h struct x509_info (subject, issuer, SANs, validity). Only
 * public certificates are read; private keys never are. */
#ifndef IMPORT_X509_H
#define IMPORT_X509_H

#include <stdbool.h>

#include "model/site.h"

/* text: a PEM certificate, the base64 of one (pfSense <crt>), or base64
 * DER. False, with out untouched but for loc, when it is none of these. */
bool x509_decode(struct arena *ar, const char *text, struct x509_info *out);

#endif
