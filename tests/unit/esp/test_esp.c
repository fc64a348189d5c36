/* ESP/NAT-T/AH overhead (engine/esp_overhead): every cipher x integrity x
 * outer family x NAT-T against figures computed by hand in the comments,
 * published figures, padding boundaries, proposal parsing, phase 2 worst
 * cases. Tunnel mode, inner IPv4 unless said otherwise.
 * Arithmetic: max inner = floor((MTU - outer IP - UDP - ESP hdr 8 - IV -
 * ICV) / block) * block - 2 (pad length + next header), RFC 4303 §2.4;
 * MSS = max inner - 20 (inner IPv4) - 20 (TCP). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "engine/esp_overhead.h"
#include "util/arena.h"

#define NONE INTEG_NONE
#define SHA1 INTEG_HMAC_SHA1
#define SHA256 INTEG_HMAC_SHA256
#define SHA384 INTEG_HMAC_SHA384
#define SHA512 INTEG_HMAC_SHA512
#define XCBC INTEG_AES_XCBC
#define MD5 INTEG_HMAC_MD5

static const struct combo {
	struct transform enc;
	enum integ integ;
	int natt, v6;
	unsigned max_inner, mss; /* at MTU 1500 */
} combos[] = {
    /* clang-format off */
	/* cbc128+sha1 v4: 1500-20-0-8-16-12=1444, /16: 1440, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA1, 0, 0, 1438, 1398},
	/* cbc128+sha1 v4 natt: 1500-20-8-8-16-12=1436, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA1, 1, 0, 1422, 1382},
	/* cbc128+sha1 v6: 1500-40-0-8-16-12=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA1, 0, 1, 1422, 1382},
	/* cbc128+sha1 v6 natt: 1500-40-8-8-16-12=1416, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA1, 1, 1, 1406, 1366},
	/* cbc128+sha256 v4: 1500-20-0-8-16-16=1440, /16: 1440, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA256, 0, 0, 1438, 1398},
	/* cbc128+sha256 v4 natt: 1500-20-8-8-16-16=1432, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA256, 1, 0, 1422, 1382},
	/* cbc128+sha256 v6: 1500-40-0-8-16-16=1420, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA256, 0, 1, 1406, 1366},
	/* cbc128+sha256 v6 natt: 1500-40-8-8-16-16=1412, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA256, 1, 1, 1406, 1366},
	/* cbc128+sha384 v4: 1500-20-0-8-16-24=1432, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA384, 0, 0, 1422, 1382},
	/* cbc128+sha384 v4 natt: 1500-20-8-8-16-24=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA384, 1, 0, 1422, 1382},
	/* cbc128+sha384 v6: 1500-40-0-8-16-24=1412, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA384, 0, 1, 1406, 1366},
	/* cbc128+sha384 v6 natt: 1500-40-8-8-16-24=1404, /16: 1392, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA384, 1, 1, 1390, 1350},
	/* cbc128+sha512 v4: 1500-20-0-8-16-32=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA512, 0, 0, 1422, 1382},
	/* cbc128+sha512 v4 natt: 1500-20-8-8-16-32=1416, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA512, 1, 0, 1406, 1366},
	/* cbc128+sha512 v6: 1500-40-0-8-16-32=1404, /16: 1392, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA512, 0, 1, 1390, 1350},
	/* cbc128+sha512 v6 natt: 1500-40-8-8-16-32=1396, /16: 1392, -2 */
	{{CIPHER_AES_CBC, 128, 0}, SHA512, 1, 1, 1390, 1350},
	/* cbc128+xcbc v4: 1500-20-0-8-16-12=1444, /16: 1440, -2 */
	{{CIPHER_AES_CBC, 128, 0}, XCBC, 0, 0, 1438, 1398},
	/* cbc128+xcbc v4 natt: 1500-20-8-8-16-12=1436, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 128, 0}, XCBC, 1, 0, 1422, 1382},
	/* cbc128+xcbc v6: 1500-40-0-8-16-12=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 128, 0}, XCBC, 0, 1, 1422, 1382},
	/* cbc128+xcbc v6 natt: 1500-40-8-8-16-12=1416, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 128, 0}, XCBC, 1, 1, 1406, 1366},
	/* cbc128+md5 v4: 1500-20-0-8-16-12=1444, /16: 1440, -2 */
	{{CIPHER_AES_CBC, 128, 0}, MD5, 0, 0, 1438, 1398},
	/* cbc128+md5 v4 natt: 1500-20-8-8-16-12=1436, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 128, 0}, MD5, 1, 0, 1422, 1382},
	/* cbc128+md5 v6: 1500-40-0-8-16-12=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 128, 0}, MD5, 0, 1, 1422, 1382},
	/* cbc128+md5 v6 natt: 1500-40-8-8-16-12=1416, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 128, 0}, MD5, 1, 1, 1406, 1366},
	/* cbc192+sha1 v4: 1500-20-0-8-16-12=1444, /16: 1440, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA1, 0, 0, 1438, 1398},
	/* cbc192+sha1 v4 natt: 1500-20-8-8-16-12=1436, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA1, 1, 0, 1422, 1382},
	/* cbc192+sha1 v6: 1500-40-0-8-16-12=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA1, 0, 1, 1422, 1382},
	/* cbc192+sha1 v6 natt: 1500-40-8-8-16-12=1416, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA1, 1, 1, 1406, 1366},
	/* cbc192+sha256 v4: 1500-20-0-8-16-16=1440, /16: 1440, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA256, 0, 0, 1438, 1398},
	/* cbc192+sha256 v4 natt: 1500-20-8-8-16-16=1432, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA256, 1, 0, 1422, 1382},
	/* cbc192+sha256 v6: 1500-40-0-8-16-16=1420, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA256, 0, 1, 1406, 1366},
	/* cbc192+sha256 v6 natt: 1500-40-8-8-16-16=1412, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA256, 1, 1, 1406, 1366},
	/* cbc192+sha384 v4: 1500-20-0-8-16-24=1432, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA384, 0, 0, 1422, 1382},
	/* cbc192+sha384 v4 natt: 1500-20-8-8-16-24=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA384, 1, 0, 1422, 1382},
	/* cbc192+sha384 v6: 1500-40-0-8-16-24=1412, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA384, 0, 1, 1406, 1366},
	/* cbc192+sha384 v6 natt: 1500-40-8-8-16-24=1404, /16: 1392, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA384, 1, 1, 1390, 1350},
	/* cbc192+sha512 v4: 1500-20-0-8-16-32=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA512, 0, 0, 1422, 1382},
	/* cbc192+sha512 v4 natt: 1500-20-8-8-16-32=1416, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA512, 1, 0, 1406, 1366},
	/* cbc192+sha512 v6: 1500-40-0-8-16-32=1404, /16: 1392, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA512, 0, 1, 1390, 1350},
	/* cbc192+sha512 v6 natt: 1500-40-8-8-16-32=1396, /16: 1392, -2 */
	{{CIPHER_AES_CBC, 192, 0}, SHA512, 1, 1, 1390, 1350},
	/* cbc192+xcbc v4: 1500-20-0-8-16-12=1444, /16: 1440, -2 */
	{{CIPHER_AES_CBC, 192, 0}, XCBC, 0, 0, 1438, 1398},
	/* cbc192+xcbc v4 natt: 1500-20-8-8-16-12=1436, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 192, 0}, XCBC, 1, 0, 1422, 1382},
	/* cbc192+xcbc v6: 1500-40-0-8-16-12=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 192, 0}, XCBC, 0, 1, 1422, 1382},
	/* cbc192+xcbc v6 natt: 1500-40-8-8-16-12=1416, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 192, 0}, XCBC, 1, 1, 1406, 1366},
	/* cbc192+md5 v4: 1500-20-0-8-16-12=1444, /16: 1440, -2 */
	{{CIPHER_AES_CBC, 192, 0}, MD5, 0, 0, 1438, 1398},
	/* cbc192+md5 v4 natt: 1500-20-8-8-16-12=1436, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 192, 0}, MD5, 1, 0, 1422, 1382},
	/* cbc192+md5 v6: 1500-40-0-8-16-12=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 192, 0}, MD5, 0, 1, 1422, 1382},
	/* cbc192+md5 v6 natt: 1500-40-8-8-16-12=1416, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 192, 0}, MD5, 1, 1, 1406, 1366},
	/* cbc256+sha1 v4: 1500-20-0-8-16-12=1444, /16: 1440, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA1, 0, 0, 1438, 1398},
	/* cbc256+sha1 v4 natt: 1500-20-8-8-16-12=1436, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA1, 1, 0, 1422, 1382},
	/* cbc256+sha1 v6: 1500-40-0-8-16-12=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA1, 0, 1, 1422, 1382},
	/* cbc256+sha1 v6 natt: 1500-40-8-8-16-12=1416, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA1, 1, 1, 1406, 1366},
	/* cbc256+sha256 v4: 1500-20-0-8-16-16=1440, /16: 1440, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA256, 0, 0, 1438, 1398},
	/* cbc256+sha256 v4 natt: 1500-20-8-8-16-16=1432, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA256, 1, 0, 1422, 1382},
	/* cbc256+sha256 v6: 1500-40-0-8-16-16=1420, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA256, 0, 1, 1406, 1366},
	/* cbc256+sha256 v6 natt: 1500-40-8-8-16-16=1412, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA256, 1, 1, 1406, 1366},
	/* cbc256+sha384 v4: 1500-20-0-8-16-24=1432, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA384, 0, 0, 1422, 1382},
	/* cbc256+sha384 v4 natt: 1500-20-8-8-16-24=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA384, 1, 0, 1422, 1382},
	/* cbc256+sha384 v6: 1500-40-0-8-16-24=1412, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA384, 0, 1, 1406, 1366},
	/* cbc256+sha384 v6 natt: 1500-40-8-8-16-24=1404, /16: 1392, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA384, 1, 1, 1390, 1350},
	/* cbc256+sha512 v4: 1500-20-0-8-16-32=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA512, 0, 0, 1422, 1382},
	/* cbc256+sha512 v4 natt: 1500-20-8-8-16-32=1416, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA512, 1, 0, 1406, 1366},
	/* cbc256+sha512 v6: 1500-40-0-8-16-32=1404, /16: 1392, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA512, 0, 1, 1390, 1350},
	/* cbc256+sha512 v6 natt: 1500-40-8-8-16-32=1396, /16: 1392, -2 */
	{{CIPHER_AES_CBC, 256, 0}, SHA512, 1, 1, 1390, 1350},
	/* cbc256+xcbc v4: 1500-20-0-8-16-12=1444, /16: 1440, -2 */
	{{CIPHER_AES_CBC, 256, 0}, XCBC, 0, 0, 1438, 1398},
	/* cbc256+xcbc v4 natt: 1500-20-8-8-16-12=1436, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 256, 0}, XCBC, 1, 0, 1422, 1382},
	/* cbc256+xcbc v6: 1500-40-0-8-16-12=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 256, 0}, XCBC, 0, 1, 1422, 1382},
	/* cbc256+xcbc v6 natt: 1500-40-8-8-16-12=1416, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 256, 0}, XCBC, 1, 1, 1406, 1366},
	/* cbc256+md5 v4: 1500-20-0-8-16-12=1444, /16: 1440, -2 */
	{{CIPHER_AES_CBC, 256, 0}, MD5, 0, 0, 1438, 1398},
	/* cbc256+md5 v4 natt: 1500-20-8-8-16-12=1436, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 256, 0}, MD5, 1, 0, 1422, 1382},
	/* cbc256+md5 v6: 1500-40-0-8-16-12=1424, /16: 1424, -2 */
	{{CIPHER_AES_CBC, 256, 0}, MD5, 0, 1, 1422, 1382},
	/* cbc256+md5 v6 natt: 1500-40-8-8-16-12=1416, /16: 1408, -2 */
	{{CIPHER_AES_CBC, 256, 0}, MD5, 1, 1, 1406, 1366},
	/* 3des+sha1 v4: 1500-20-0-8-8-12=1452, /8: 1448, -2 */
	{{CIPHER_3DES, 192, 0}, SHA1, 0, 0, 1446, 1406},
	/* 3des+sha1 v4 natt: 1500-20-8-8-8-12=1444, /8: 1440, -2 */
	{{CIPHER_3DES, 192, 0}, SHA1, 1, 0, 1438, 1398},
	/* 3des+sha1 v6: 1500-40-0-8-8-12=1432, /8: 1432, -2 */
	{{CIPHER_3DES, 192, 0}, SHA1, 0, 1, 1430, 1390},
	/* 3des+sha1 v6 natt: 1500-40-8-8-8-12=1424, /8: 1424, -2 */
	{{CIPHER_3DES, 192, 0}, SHA1, 1, 1, 1422, 1382},
	/* 3des+sha256 v4: 1500-20-0-8-8-16=1448, /8: 1448, -2 */
	{{CIPHER_3DES, 192, 0}, SHA256, 0, 0, 1446, 1406},
	/* 3des+sha256 v4 natt: 1500-20-8-8-8-16=1440, /8: 1440, -2 */
	{{CIPHER_3DES, 192, 0}, SHA256, 1, 0, 1438, 1398},
	/* 3des+sha256 v6: 1500-40-0-8-8-16=1428, /8: 1424, -2 */
	{{CIPHER_3DES, 192, 0}, SHA256, 0, 1, 1422, 1382},
	/* 3des+sha256 v6 natt: 1500-40-8-8-8-16=1420, /8: 1416, -2 */
	{{CIPHER_3DES, 192, 0}, SHA256, 1, 1, 1414, 1374},
	/* 3des+sha384 v4: 1500-20-0-8-8-24=1440, /8: 1440, -2 */
	{{CIPHER_3DES, 192, 0}, SHA384, 0, 0, 1438, 1398},
	/* 3des+sha384 v4 natt: 1500-20-8-8-8-24=1432, /8: 1432, -2 */
	{{CIPHER_3DES, 192, 0}, SHA384, 1, 0, 1430, 1390},
	/* 3des+sha384 v6: 1500-40-0-8-8-24=1420, /8: 1416, -2 */
	{{CIPHER_3DES, 192, 0}, SHA384, 0, 1, 1414, 1374},
	/* 3des+sha384 v6 natt: 1500-40-8-8-8-24=1412, /8: 1408, -2 */
	{{CIPHER_3DES, 192, 0}, SHA384, 1, 1, 1406, 1366},
	/* 3des+sha512 v4: 1500-20-0-8-8-32=1432, /8: 1432, -2 */
	{{CIPHER_3DES, 192, 0}, SHA512, 0, 0, 1430, 1390},
	/* 3des+sha512 v4 natt: 1500-20-8-8-8-32=1424, /8: 1424, -2 */
	{{CIPHER_3DES, 192, 0}, SHA512, 1, 0, 1422, 1382},
	/* 3des+sha512 v6: 1500-40-0-8-8-32=1412, /8: 1408, -2 */
	{{CIPHER_3DES, 192, 0}, SHA512, 0, 1, 1406, 1366},
	/* 3des+sha512 v6 natt: 1500-40-8-8-8-32=1404, /8: 1400, -2 */
	{{CIPHER_3DES, 192, 0}, SHA512, 1, 1, 1398, 1358},
	/* 3des+xcbc v4: 1500-20-0-8-8-12=1452, /8: 1448, -2 */
	{{CIPHER_3DES, 192, 0}, XCBC, 0, 0, 1446, 1406},
	/* 3des+xcbc v4 natt: 1500-20-8-8-8-12=1444, /8: 1440, -2 */
	{{CIPHER_3DES, 192, 0}, XCBC, 1, 0, 1438, 1398},
	/* 3des+xcbc v6: 1500-40-0-8-8-12=1432, /8: 1432, -2 */
	{{CIPHER_3DES, 192, 0}, XCBC, 0, 1, 1430, 1390},
	/* 3des+xcbc v6 natt: 1500-40-8-8-8-12=1424, /8: 1424, -2 */
	{{CIPHER_3DES, 192, 0}, XCBC, 1, 1, 1422, 1382},
	/* 3des+md5 v4: 1500-20-0-8-8-12=1452, /8: 1448, -2 */
	{{CIPHER_3DES, 192, 0}, MD5, 0, 0, 1446, 1406},
	/* 3des+md5 v4 natt: 1500-20-8-8-8-12=1444, /8: 1440, -2 */
	{{CIPHER_3DES, 192, 0}, MD5, 1, 0, 1438, 1398},
	/* 3des+md5 v6: 1500-40-0-8-8-12=1432, /8: 1432, -2 */
	{{CIPHER_3DES, 192, 0}, MD5, 0, 1, 1430, 1390},
	/* 3des+md5 v6 natt: 1500-40-8-8-8-12=1424, /8: 1424, -2 */
	{{CIPHER_3DES, 192, 0}, MD5, 1, 1, 1422, 1382},
	/* gcm8 v4: 1500-20-0-8-8-8=1456, /4: 1456, -2 */
	{{CIPHER_AES_GCM, 256, 8}, NONE, 0, 0, 1454, 1414},
	/* gcm8 v4 natt: 1500-20-8-8-8-8=1448, /4: 1448, -2 */
	{{CIPHER_AES_GCM, 256, 8}, NONE, 1, 0, 1446, 1406},
	/* gcm8 v6: 1500-40-0-8-8-8=1436, /4: 1436, -2 */
	{{CIPHER_AES_GCM, 256, 8}, NONE, 0, 1, 1434, 1394},
	/* gcm8 v6 natt: 1500-40-8-8-8-8=1428, /4: 1428, -2 */
	{{CIPHER_AES_GCM, 256, 8}, NONE, 1, 1, 1426, 1386},
	/* gcm12 v4: 1500-20-0-8-8-12=1452, /4: 1452, -2 */
	{{CIPHER_AES_GCM, 256, 12}, NONE, 0, 0, 1450, 1410},
	/* gcm12 v4 natt: 1500-20-8-8-8-12=1444, /4: 1444, -2 */
	{{CIPHER_AES_GCM, 256, 12}, NONE, 1, 0, 1442, 1402},
	/* gcm12 v6: 1500-40-0-8-8-12=1432, /4: 1432, -2 */
	{{CIPHER_AES_GCM, 256, 12}, NONE, 0, 1, 1430, 1390},
	/* gcm12 v6 natt: 1500-40-8-8-8-12=1424, /4: 1424, -2 */
	{{CIPHER_AES_GCM, 256, 12}, NONE, 1, 1, 1422, 1382},
	/* gcm16 v4: 1500-20-0-8-8-16=1448, /4: 1448, -2 */
	{{CIPHER_AES_GCM, 128, 16}, NONE, 0, 0, 1446, 1406},
	/* gcm16 v4 natt: 1500-20-8-8-8-16=1440, /4: 1440, -2 */
	{{CIPHER_AES_GCM, 128, 16}, NONE, 1, 0, 1438, 1398},
	/* gcm16 v6: 1500-40-0-8-8-16=1428, /4: 1428, -2 */
	{{CIPHER_AES_GCM, 128, 16}, NONE, 0, 1, 1426, 1386},
	/* gcm16 v6 natt: 1500-40-8-8-8-16=1420, /4: 1420, -2 */
	{{CIPHER_AES_GCM, 128, 16}, NONE, 1, 1, 1418, 1378},
	/* chacha v4: 1500-20-0-8-8-16=1448, /4: 1448, -2 */
	{{CIPHER_CHACHA20_POLY1305, 256, 16}, NONE, 0, 0, 1446, 1406},
	/* chacha v4 natt: 1500-20-8-8-8-16=1440, /4: 1440, -2 */
	{{CIPHER_CHACHA20_POLY1305, 256, 16}, NONE, 1, 0, 1438, 1398},
	/* chacha v6: 1500-40-0-8-8-16=1428, /4: 1428, -2 */
	{{CIPHER_CHACHA20_POLY1305, 256, 16}, NONE, 0, 1, 1426, 1386},
	/* chacha v6 natt: 1500-40-8-8-8-16=1420, /4: 1420, -2 */
	{{CIPHER_CHACHA20_POLY1305, 256, 16}, NONE, 1, 1, 1418, 1378},
    /* clang-format on */
};

static struct esp_params
params_of(const struct combo *c)
{
	return (struct esp_params){.enc = c->enc,
				   .integ = c->integ,
				   .natt = c->natt,
				   .outer_v6 = c->v6,
				   .tunnel = true};
}

/* Largest inner size whose outer size fits, by trying every size. */
static unsigned
brute_max_inner(const struct esp_params *p, unsigned mtu)
{
	unsigned best = 0;
	for (unsigned n = 1; n <= mtu; n++)
		if (esp_outer_size(p, n) != 0 && esp_outer_size(p, n) <= mtu)
			best = n;
	return best;
}

static void
test_all_combinations(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(combos) / sizeof(*combos); k++) {
		struct esp_params p = params_of(&combos[k]);
		unsigned inner = esp_max_inner(&p, 1500);
		if (inner != combos[k].max_inner ||
		    esp_mss(&p, 1500) != combos[k].mss)
			fail_msg("row %zu: max inner %u mss %u, want %u %u", k,
				 inner, esp_mss(&p, 1500), combos[k].max_inner,
				 combos[k].mss);
		/* the largest inner packet fits, one byte more does not */
		assert_true(esp_outer_size(&p, inner) <= 1500);
		assert_true(esp_outer_size(&p, inner + 1) > 1500);
	}
}

/* esp_max_inner agrees with esp_outer_size at every MTU from the IPv6
 * minimum to Ethernet's, for every combination. */
static void
test_max_inner_matches_brute_force(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(combos) / sizeof(*combos); k++) {
		struct esp_params p = params_of(&combos[k]);
		for (unsigned mtu = 1280; mtu <= 1500; mtu += 7)
			assert_int_equal(esp_max_inner(&p, mtu),
					 brute_max_inner(&p, mtu));
	}
}

/* The figure quoted everywhere: AES-256-CBC + HMAC-SHA1 tunnel over a
 * 1500-byte IPv4 link carries at most 1438 bytes: 1500 - 20 outer - 8 ESP
 * - 16 IV - 12 ICV = 1444, rounded down to 16-byte blocks 1440, minus the
 * 2-byte trailer. So pfSense's usual 1400 clamp is 2 bytes too high:
 * 1400 + 40 = 1440 > 1438. */
static void
test_published_aes256_sha1(void **state)
{
	(void)state;
	struct esp_params p = {
	    .enc = {CIPHER_AES_CBC, 256, 0}, .integ = SHA1, .tunnel = true};
	struct esp_cost c;
	assert_true(esp_cost_of(&p, &c));
	assert_int_equal(c.outer_ip, 20);
	assert_int_equal(c.udp, 0);
	assert_int_equal(c.esp_hdr, 8);
	assert_int_equal(c.iv, 16);
	assert_int_equal(c.block, 16);
	assert_int_equal(c.pad_max, 15);
	assert_int_equal(c.trailer, 2);
	assert_int_equal(c.icv, 12);
	/* 20 + 8 + 16 + 15 + 2 + 12 = 73 */
	assert_int_equal(esp_cost_total_max(&c), 73);
	assert_int_equal(esp_max_inner(&p, 1500), 1438);
	assert_int_equal(esp_mss(&p, 1500), 1398);
	/* 1438 + 2 = 1440 (no padding): 20 + 8 + 16 + 1440 + 12 = 1496 */
	assert_int_equal(esp_outer_size(&p, 1438), 1496);
	p.natt = true; /* + UDP 8: 1436 -> 1424 - 2 */
	assert_true(esp_cost_of(&p, &c));
	assert_int_equal(c.udp, 8);
	assert_int_equal(esp_max_inner(&p, 1500), 1422);
}

/* One byte of inner length moves the outer size by a whole block. */
static void
test_padding_boundaries(void **state)
{
	(void)state;
	struct esp_params cbc = {
	    .enc = {CIPHER_AES_CBC, 128, 0}, .integ = SHA1, .tunnel = true};
	/* 1422 + 2 = 1424 = 89 blocks: 20+8+16+1424+12 = 1480 */
	assert_int_equal(esp_outer_size(&cbc, 1422), 1480);
	/* 1423 + 2 = 1425 -> 1440 (15 bytes padding): 1496 */
	assert_int_equal(esp_outer_size(&cbc, 1423), 1496);
	assert_int_equal(esp_outer_size(&cbc, 1438), 1496);
	/* 1439 + 2 = 1441 -> 1456: 1512, over 1500 */
	assert_int_equal(esp_outer_size(&cbc, 1439), 1512);
	/* 64-byte ping (84-byte IP packet): 86 -> 96: 20+8+16+96+12 = 152 */
	assert_int_equal(esp_outer_size(&cbc, 84), 152);

	struct esp_params des = {
	    .enc = {CIPHER_3DES, 192, 0}, .integ = SHA1, .tunnel = true};
	/* 8-byte blocks: 1446 + 2 = 1448: 20+8+8+1448+12 = 1496 */
	assert_int_equal(esp_outer_size(&des, 1446), 1496);
	assert_int_equal(esp_outer_size(&des, 1447), 1504); /* 1449 -> 1456 */

	struct esp_params gcm = {.enc = {CIPHER_AES_GCM, 256, 16},
				 .tunnel = true};
	/* 4-byte alignment: 1446 + 2 = 1448: 20+8+8+1448+16 = 1500 */
	assert_int_equal(esp_outer_size(&gcm, 1446), 1500);
	assert_int_equal(esp_outer_size(&gcm, 1447), 1504); /* 1449 -> 1452 */
	assert_int_equal(esp_outer_size(&gcm, 1445), 1500); /* 1447 -> 1448 */
	assert_int_equal(esp_outer_size(&gcm, 1444), 1500); /* 1446 -> 1448 */
	assert_int_equal(esp_outer_size(&gcm, 1443), 1500); /* 1445 -> 1448 */
	assert_int_equal(esp_outer_size(&gcm, 1442), 1496); /* 1444 -> 1444 */
}

/* Transport mode: no new header, the inner one stays in front. */
static void
test_transport_mode(void **state)
{
	(void)state;
	struct esp_params p = {.enc = {CIPHER_AES_CBC, 256, 0}, .integ = SHA1};
	/* payload room: 1500 - 20 kept header - 8 - 16 - 12 = 1444, /16:
	 * 1440, -2: 1438 payload + 20 header = 1458 inner; MSS 1418 */
	assert_int_equal(esp_max_inner(&p, 1500), 1458);
	assert_int_equal(esp_mss(&p, 1500), 1418);
	/* 20 + 8 + 16 + (1438 + 2) + 12 */
	assert_int_equal(esp_outer_size(&p, 1458), 1496);
	assert_int_equal(esp_outer_size(&p, 10), 0); /* shorter than IPv4 */
	p.inner_v6 = true;
	p.natt = true;
	/* 1500 - 40 - 8 UDP - 8 - 16 - 12 = 1416 -> 1408 - 2 = 1406 payload,
	 * + 40 = 1446 inner; MSS 1446 - 40 - 20 = 1386 */
	assert_int_equal(esp_max_inner(&p, 1500), 1446);
	assert_int_equal(esp_mss(&p, 1500), 1386);
	assert_int_equal(esp_max_inner(&p, 1500), brute_max_inner(&p, 1500));
}

/* Inner IPv6 in a tunnel: the MSS loses 40 instead of 20. */
static void
test_inner_v6(void **state)
{
	(void)state;
	struct esp_params p = {
	    .enc = {CIPHER_AES_GCM, 128, 16}, .tunnel = true, .inner_v6 = true};
	/* 1446 (see the table) - 40 - 20 = 1386 */
	assert_int_equal(esp_max_inner(&p, 1500), 1446);
	assert_int_equal(esp_mss(&p, 1500), 1386);
}

/* AH (RFC 4302 §2): 12-byte header + ICV, 32-bit aligned in IPv4,
 * 64-bit in IPv6; no padding, no trailer, no NAT-T. */
static void
test_ah(void **state)
{
	(void)state;
	struct esp_params p = {.ah = true, .integ = SHA1, .tunnel = true};
	/* 1500 - 20 - 12 - 12 = 1456 */
	assert_int_equal(esp_max_inner(&p, 1500), 1456);
	p.natt = true; /* ignored: AH cannot cross NAT */
	assert_int_equal(esp_max_inner(&p, 1500), 1456);
	p.integ = SHA256; /* 12 + 16 = 28, aligned to 4 */
	assert_int_equal(esp_max_inner(&p, 1500), 1500 - 20 - 28);
	p.outer_v6 = true; /* 28 aligned to 8 = 32 */
	assert_int_equal(esp_max_inner(&p, 1500), 1500 - 40 - 32);
	assert_int_equal(esp_outer_size(&p, 100), 100 + 40 + 32);
}

static void
test_edges(void **state)
{
	(void)state;
	struct esp_params p = {.enc = {CIPHER_AES_CBC, 256, 0},
			       .integ = SHA512,
			       .natt = true,
			       .outer_v6 = true,
			       .tunnel = true};
	/* fixed 40 + 8 + 8 + 16 + 32 = 104: nothing fits in 104..105 */
	assert_int_equal(esp_max_inner(&p, 104), 0);
	assert_int_equal(esp_max_inner(&p, 105), 0);
	/* 106 leaves 2, less than one 16-byte block */
	assert_int_equal(esp_max_inner(&p, 106), 0);
	/* 120 leaves 16: one block, 14 bytes of inner packet, no MSS */
	assert_int_equal(esp_max_inner(&p, 120), 14);
	assert_int_equal(esp_mss(&p, 120), 0);
	assert_int_equal(esp_max_inner(&p, 0), 0);
	/* jumbo frames: 9000 - 104 = 8896 = 556 blocks, -2 */
	assert_int_equal(esp_max_inner(&p, 9000), 8894);

	struct esp_params unknown = {.tunnel = true};
	struct esp_cost c;
	assert_false(esp_cost_of(&unknown, &c));
	assert_int_equal(esp_outer_size(&unknown, 100), 0);
	assert_int_equal(esp_max_inner(&unknown, 1500), 0);

	/* AES-GCM whose ICV length is unknown: costed as 16 */
	struct esp_params gcm = {.enc = {CIPHER_AES_GCM, 128, 0},
				 .tunnel = true};
	assert_true(esp_cost_of(&gcm, &c));
	assert_int_equal(c.icv, 16);
	/* an AEAD cipher ignores a stray integrity algorithm */
	gcm.integ = SHA512;
	assert_int_equal(esp_max_inner(&gcm, 1500), 1446);
	/* NULL encryption + SHA256: 1500-20-8-0-16 = 1456, /4, -2 */
	struct esp_params null = {
	    .enc = {CIPHER_NULL, 0, 0}, .integ = SHA256, .tunnel = true};
	assert_int_equal(esp_max_inner(&null, 1500), 1454);
}

static const struct proposal_case {
	const char *s;
	bool ok;
	struct transform t;
	enum integ i;
} proposals[] = {
    {"aes256gcm16-modp2048", true, {CIPHER_AES_GCM, 256, 16}, NONE},
    {"aes256gcm16", true, {CIPHER_AES_GCM, 256, 16}, NONE},
    {"aes128gcm", true, {CIPHER_AES_GCM, 128, 16}, NONE},
    {"aes256gcm12", true, {CIPHER_AES_GCM, 256, 12}, NONE},
    {"aes192gcm96", true, {CIPHER_AES_GCM, 192, 12}, NONE},
    {"aes128gcm64-ecp256", true, {CIPHER_AES_GCM, 128, 8}, NONE},
    {"aes128ccm8", true, {CIPHER_AES_CCM, 128, 8}, NONE},
    {"aes128-sha256", true, {CIPHER_AES_CBC, 128, 0}, SHA256},
    {"aes-sha1", true, {CIPHER_AES_CBC, 128, 0}, SHA1},
    {"aes256-sha2_512-curve25519-esn", true, {CIPHER_AES_CBC, 256, 0}, SHA512},
    {"aes256-sha256!", true, {CIPHER_AES_CBC, 256, 0}, SHA256},
    {"chacha20poly1305", true, {CIPHER_CHACHA20_POLY1305, 256, 16}, NONE},
    {"chacha20poly1305-prfsha256-x25519",
     true,
     {CIPHER_CHACHA20_POLY1305, 256, 16},
     NONE},
    {"3des-md5-modp1024", true, {CIPHER_3DES, 192, 0}, MD5},
    {"aes192-aesxcbc-noesn", true, {CIPHER_AES_CBC, 192, 0}, XCBC},
    {"null-sha1", true, {CIPHER_NULL, 0, 0}, SHA1},
    /* several: the largest integrity, then the costliest cipher */
    {"aes128-3des-sha1-sha384-modp2048",
     true,
     {CIPHER_AES_CBC, 128, 0},
     SHA384},
    /* AES-CBC + SHA256 (16+15+2+16) costs more than GCM-16 (8+3+2+16) */
    {"aes256gcm16-aes256-sha256", true, {CIPHER_AES_CBC, 256, 0}, SHA256},
    {"aes256", true, {CIPHER_AES_CBC, 256, 0}, NONE},
    {"", false, {0}, NONE},
    {"modp2048", false, {0}, NONE},
    {"sha256", false, {0}, NONE},
    {"aes256-foo", false, {0}, NONE},
    {"aes128ctr-sha1", false, {0}, NONE},
    {"aes256gcm20", false, {0}, NONE},
    {"aes512-sha1", false, {0}, NONE},
    {"aes256,aes128-sha1", false, {0}, NONE},
};

static void
test_parse_proposal(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(proposals) / sizeof(*proposals); k++) {
		const struct proposal_case *c = &proposals[k];
		struct transform t = {0};
		enum integ i = NONE;
		bool ok = transform_parse_proposal(c->s, &t, &i);
		if (ok != c->ok)
			fail_msg("'%s': %s", c->s,
				 ok ? "accepted" : "rejected");
		if (!ok)
			continue;
		if (t.cipher != c->t.cipher || t.keylen != c->t.keylen ||
		    t.icv != c->t.icv || i != c->i)
			fail_msg("'%s': got %s %u %u %s", c->s,
				 cipher_name(t.cipher), t.keylen, t.icv,
				 integ_name(i));
	}
}

static void
test_parse_names(void **state)
{
	(void)state;
	struct transform t;
	enum integ i;
	assert_true(transform_parse_cipher("aes-cbc-256", &t));
	assert_true(t.cipher == CIPHER_AES_CBC && t.keylen == 256);
	assert_true(transform_parse_cipher("aes-gcm-12", &t));
	assert_true(t.cipher == CIPHER_AES_GCM && t.icv == 12);
	assert_true(transform_parse_cipher("chacha20-poly1305", &t));
	assert_true(t.cipher == CIPHER_CHACHA20_POLY1305 && t.icv == 16);
	assert_true(transform_parse_cipher("aes256gcm8", &t));
	assert_true(t.cipher == CIPHER_AES_GCM && t.icv == 8);
	assert_true(transform_parse_cipher("3des", &t));
	assert_true(t.cipher == CIPHER_3DES);
	assert_false(transform_parse_cipher("aes-cbc-512", &t));
	assert_false(transform_parse_cipher("rc4", &t));
	assert_false(transform_parse_cipher("sha256", &t));
	assert_false(transform_parse_cipher("", &t));

	assert_true(transform_parse_integ("sha256", &i) && i == SHA256);
	assert_true(transform_parse_integ("hmac_sha384", &i) && i == SHA384);
	assert_true(transform_parse_integ("hmac-sha1", &i) && i == SHA1);
	assert_true(transform_parse_integ("aes-xcbc", &i) && i == XCBC);
	assert_true(transform_parse_integ("aesxcbc", &i) && i == XCBC);
	assert_true(transform_parse_integ("sha2_512", &i) && i == SHA512);
	assert_true(transform_parse_integ("md5", &i) && i == MD5);
	assert_true(transform_parse_integ("none", &i) && i == NONE);
	assert_false(transform_parse_integ("sha3", &i));
	assert_false(transform_parse_integ("aes256", &i));
	assert_false(transform_parse_integ("hmac-", &i));
}

/* A site filled by hand the way the config importer fills it. */
struct fixture {
	struct site s;
	struct iface wan;
	struct phase1 p1;
	struct phase2 p2;
	struct transform enc[4];
	enum integ integ[4];
};

static void
fixture_init(struct fixture *f, unsigned mtu, const char *natt)
{
	memset(f, 0, sizeof(*f));
	f->wan = (struct iface){.key = "wan",
				.dev = "igb0",
				.mtu = mtu,
				.role = ROLE_WAN,
				.enabled = true};
	f->s.ifaces = &f->wan;
	f->s.nifaces = 1;
	f->p1 = (struct phase1){
	    .ikeid = "1", .iface = "wan", .natt = natt, .outer_fam = FAM_V4};
	f->s.p1 = &f->p1;
	f->s.np1 = 1;
	f->p2 = (struct phase2){
	    .ikeid = "1", .p1 = &f->p1, .mode = P2_TUNNEL, .proto = PROTO_ESP};
	f->p2.enc = f->enc;
	f->p2.integ = f->integ;
	f->s.p2 = &f->p2;
	f->s.np2 = 1;
}

static void
test_phase2_worst_case(void **state)
{
	(void)state;
	struct fixture f;
	struct esp_p2_eval e;
	/* PPPoE WAN 1492, NAT-T forced; AES-256-CBC or AES-128-GCM-16, with
	 * SHA256 or SHA512 for the CBC one. */
	fixture_init(&f, 1492, "force");
	f.enc[0] = (struct transform){CIPHER_AES_CBC, 256, 0};
	f.enc[1] = (struct transform){CIPHER_AES_GCM, 128, 16};
	f.p2.nenc = 2;
	f.integ[0] = SHA256;
	f.integ[1] = SHA512;
	f.p2.ninteg = 2;
	assert_true(esp_eval_phase2(&f.s, &f.p2, &e));
	assert_int_equal(e.mtu, 1492);
	assert_null(e.mtu_note);
	assert_true(e.natt_forced);
	/* CBC+SHA256, CBC+SHA512, GCM once (an AEAD ignores integrity) */
	assert_int_equal(e.ncosted, 3);
	assert_int_equal(e.nunknown, 0);
	/* NAT-T, worst CBC+SHA512: 1492-20-8-8-16-32 = 1408, /16 1408, -2;
	 * (CBC+SHA256: 1424 -> 1422; GCM-16: 1432 -> 1430) */
	assert_int_equal(e.worst[1].enc.cipher, CIPHER_AES_CBC);
	assert_int_equal(e.worst[1].integ, SHA512);
	assert_true(e.worst[1].natt);
	assert_int_equal(e.max_inner[1], 1406);
	assert_int_equal(e.mss[1], 1366);
	/* without: 1492-20-8-16-32 = 1416, /16 1408, -2 = 1406 as well */
	assert_false(e.worst[0].natt);
	assert_int_equal(e.max_inner[0], 1406);

	/* --mtu 1400 replaces the interface's: NAT-T, CBC+SHA512:
	 * 1400-20-8-8-16-32 = 1316, /16 1312, -2 = 1310, MSS 1270 */
	struct esp_p2_eval g;
	assert_true(esp_eval_phase2_mtu(&f.s, &f.p2, 1400, &g));
	assert_int_equal(g.mtu, 1400);
	assert_string_equal(g.mtu_note, "given");
	assert_int_equal(g.max_inner[1], 1310);
	assert_int_equal(g.mss[1], 1270);

	/* each case's worst is the true minimum over all combinations */
	for (int n = 0; n < 2; n++) {
		unsigned lo = ~0u;
		struct esp_params p = {.tunnel = true, .natt = n};
		p.enc = f.enc[0];
		for (int j = 0; j < 2; j++) {
			p.integ = f.integ[j];
			unsigned m = esp_max_inner(&p, 1492);
			lo = m < lo ? m : lo;
		}
		p.enc = f.enc[1];
		p.integ = NONE;
		unsigned m = esp_max_inner(&p, 1492);
		lo = m < lo ? m : lo;
		assert_int_equal(e.max_inner[n], lo);
	}
}

static void
test_phase2_families_and_unknowns(void **state)
{
	(void)state;
	struct fixture f;
	struct esp_p2_eval e;
	fixture_init(&f, 0, "on");
	f.p1.iface = "opt7"; /* not an interface we know: 1500 assumed */
	f.p1.outer_fam = FAM_V6;
	f.p2.mode = P2_TUNNEL6;
	f.enc[0] = (struct transform){CIPHER_CHACHA20_POLY1305, 256, 16};
	f.enc[1] = (struct transform){CIPHER_UNKNOWN, 0, 0};
	f.p2.nenc = 2;
	assert_true(esp_eval_phase2(&f.s, &f.p2, &e));
	assert_int_equal(e.mtu, 1500);
	assert_string_equal(e.mtu_note, "interface unknown");
	assert_false(e.natt_forced);
	assert_int_equal(e.ncosted, 1);
	assert_int_equal(e.nunknown, 1);
	/* v6 outer: 1500-40-8-8-16 = 1428, -2 = 1426; inner v6: MSS -60 */
	assert_int_equal(e.max_inner[0], 1426);
	assert_int_equal(e.mss[0], 1366);
	/* NAT-T: 1420 - 2 = 1418, MSS 1358 */
	assert_int_equal(e.max_inner[1], 1418);
	assert_int_equal(e.mss[1], 1358);

	f.wan.mtu = 0; /* known interface, MTU unset */
	f.p1.iface = "wan";
	assert_true(esp_eval_phase2(&f.s, &f.p2, &e));
	assert_string_equal(e.mtu_note, "default");

	f.p2.nenc = 0; /* nothing to cost */
	assert_false(esp_eval_phase2(&f.s, &f.p2, &e));
	f.p2.nenc = 2;
	f.enc[0].cipher = CIPHER_UNKNOWN;
	assert_false(esp_eval_phase2(&f.s, &f.p2, &e));
	assert_int_equal(e.nunknown, 2);

	/* transport: outer = inner family from phase 1, no new header.
	 * AES-CBC without integrity listed: 1500-20-8-16 = 1456, -2 = 1454
	 * payload, + 20 = 1474 inner, MSS 1434 */
	fixture_init(&f, 1500, NULL);
	f.p2.mode = P2_TRANSPORT;
	f.enc[0] = (struct transform){CIPHER_AES_CBC, 128, 0};
	f.p2.nenc = 1;
	assert_true(esp_eval_phase2(&f.s, &f.p2, &e));
	assert_false(e.worst[0].tunnel);
	assert_int_equal(e.max_inner[0], 1474);
	assert_int_equal(e.mss[0], 1434);
	assert_non_null(esp_maxmss_gap(&f.p2));

	/* AH phase 2: SHA1, 1500 - 20 - 24 = 1456 with or without NAT-T */
	fixture_init(&f, 1500, NULL);
	f.p2.proto = PROTO_AH;
	f.integ[0] = SHA1;
	f.p2.ninteg = 1;
	assert_true(esp_eval_phase2(&f.s, &f.p2, &e));
	assert_int_equal(e.max_inner[0], 1456);
	assert_int_equal(e.max_inner[1], 1456);
}

/* doc/behaviour/pfsense.md §1.5, §2.5: system/maxmss, 1400 when empty; only for
 * <vpn_networks>. */
static void
test_site_maxmss(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, 1500, NULL);
	assert_int_equal(esp_site_maxmss(&f.s), 0);
	f.s.flags.maxmss_enable = true;
	assert_int_equal(esp_site_maxmss(&f.s), 1400);
	f.s.flags.maxmss = 1360;
	assert_int_equal(esp_site_maxmss(&f.s), 1360);

	f.p2.remote.resolved = true;
	assert_true(
	    prefix_parse(str_from("10.0.2.0/24"), &f.p2.remote.net, NULL));
	assert_null(esp_maxmss_gap(&f.p2));
	assert_true(
	    prefix_parse(str_from("0.0.0.0/0"), &f.p2.remote.net, NULL));
	assert_non_null(esp_maxmss_gap(&f.p2));
	assert_true(
	    prefix_parse(str_from("10.0.2.0/24"), &f.p2.remote.net, NULL));
	f.p2.mode = P2_VTI;
	assert_non_null(strstr(esp_maxmss_gap(&f.p2), "VTI"));
}

/* The limit for the encapsulation in use (one input: esp_encap_of())
 * and, on Linux, the tunnel device's MTU. */
static void
test_p2_limit(void **state)
{
	(void)state;
	struct fixture f;
	struct esp_limit l;
	/* AES-256-CBC + SHA256 on 1500: 1398 bare, 1382 in UDP 4500 */
	fixture_init(&f, 1500, "on");
	f.enc[0] = (struct transform){CIPHER_AES_CBC, 256, 0};
	f.p2.nenc = 1;
	f.integ[0] = SHA256;
	f.p2.ninteg = 1;
	assert_true(esp_p2_limit(&f.s, &f.p2, &l));
	assert_false(l.enc.natt);
	assert_non_null(l.enc.why);
	assert_int_equal(l.mss, 1398);
	assert_null(l.dev);
	f.p1.natt = "force";
	assert_true(esp_p2_limit(&f.s, &f.p2, &l));
	assert_true(l.enc.natt);
	assert_int_equal(l.mss, 1382);

	/* Linux with kernel-libipsec's ipsec0, MTU not given: 1400 is
	 * assumed and bounds the inner packet (MSS 1360) */
	struct iface ifs[2] = {f.wan,
			       {.key = "ipsec0",
				.dev = "ipsec0",
				.role = ROLE_ENC,
				.enabled = true}};
	f.s.ifaces = ifs;
	f.s.nifaces = 2;
	f.s.kind = SITE_LINUX;
	f.p1.natt = NULL;
	assert_true(esp_p2_limit(&f.s, &f.p2, &l));
	assert_string_equal(l.dev, "ipsec0");
	assert_int_equal(l.dev_mtu, 1400);
	assert_true(l.dev_mtu_assumed);
	assert_int_equal(l.mss, 1360);
	/* read from ip -j addr: 1300 -> MSS 1260; a large one does not
	 * raise the ESP limit */
	ifs[1].mtu = 1300;
	assert_true(esp_p2_limit(&f.s, &f.p2, &l));
	assert_false(l.dev_mtu_assumed);
	assert_int_equal(l.mss, 1260);
	ifs[1].mtu = 9000;
	assert_true(esp_p2_limit(&f.s, &f.p2, &l));
	assert_int_equal(l.mss, 1398);
	/* no transform of known size: no limit */
	f.p2.nenc = 0;
	assert_false(esp_p2_limit(&f.s, &f.p2, &l));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_all_combinations),
	    cmocka_unit_test(test_max_inner_matches_brute_force),
	    cmocka_unit_test(test_published_aes256_sha1),
	    cmocka_unit_test(test_padding_boundaries),
	    cmocka_unit_test(test_transport_mode),
	    cmocka_unit_test(test_inner_v6),
	    cmocka_unit_test(test_ah),
	    cmocka_unit_test(test_edges),
	    cmocka_unit_test(test_parse_proposal),
	    cmocka_unit_test(test_parse_names),
	    cmocka_unit_test(test_phase2_worst_case),
	    cmocka_unit_test(test_phase2_families_and_unknowns),
	    cmocka_unit_test(test_site_maxmss),
	    cmocka_unit_test(test_p2_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
