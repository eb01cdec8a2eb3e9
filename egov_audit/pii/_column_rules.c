/* Whole-column validation in one pass: C for fastpath.py's compiled column patterns.
 *
 * whole_column(kind, text, provinces, regencies) is True exactly when
 * fastpath._whole_columns()[kind].fullmatch(text) matches: text is one value per
 * line, no empty line and no line break at the end, and every value passes the
 * structural rules of its kind. Python's regex engine spends some 40 ns a
 * character on those patterns (a look-ahead, a back-reference and alternations
 * per value); this reads each character once, makes no object, and allocates
 * nothing, so a megabyte of identifiers costs about a millisecond.
 *
 * The pattern stays the reference: tests/pii/test_native.py holds the two equal on
 * every date, every region code and random columns. Every character the patterns
 * accept is ASCII, so a text that is not ASCII is rejected without being read.
 *
 * provinces and regencies are 100-byte masks: byte 10*a + b is non-zero when the
 * two-digit code "ab" is known (fastpath builds them from the same lexicon the
 * pattern is compiled from).
 *
 * distinct_count(texts, also) is len(set(line for t in texts for line in
 * t.split("\n")) | set(also)) without a Python object per line: a recipient list
 * of 10,000 NIKs is counted by a table of pointers into the column's own text.
 * The table is hashed with Python's own keyed string hash, so a server cannot
 * choose values that collide (no quadratic probing), and it is sized from the
 * number of lines: at most a few bytes per character of input.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

static int
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int
all_digits(const unsigned char *s, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!is_digit(s[i])) {
            return 0;
        }
    }
    return 1;
}

/* A value of one or two distinct digits (1111…, 1212…): a placeholder, never an
 * identifier (fastpath._FEW). s[0..n) are all digits and end the digit run. */
static int
few_distinct(const unsigned char *s, Py_ssize_t n)
{
    unsigned seen = 0;
    int distinct = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned bit = 1u << (s[i] - '0');
        if (!(seen & bit)) {
            seen |= bit;
            if (++distinct > 2) {
                return 0;
            }
        }
    }
    return 1;
}

static int
two(const unsigned char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static int
days_in(int month, int year2)
{
    static const int days[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && year2 % 4 == 0 ? 29 : days[month];
}

/* DDMMYY of a NIK (women's days +40) or a No. KK (no offset). Every two-digit year
 * divisible by four has a 29 February: the pattern's leap years are 00, 04, … 96. */
static int
valid_date(const unsigned char *s, int women)
{
    int day = two(s), month = two(s + 2), year2 = two(s + 4);
    if (women && day > 40) {
        day -= 40;
    }
    return month >= 1 && month <= 12 && day >= 1 && day <= days_in(month, year2);
}

/* The 16 digits of a NIK or No. KK: province, regency, district, date, serial. */
static int
valid_population_number(const unsigned char *s, Py_ssize_t n, int women,
                        const unsigned char *provinces, const unsigned char *regencies)
{
    if (n != 16 || !all_digits(s, n) || few_distinct(s, n)) {
        return 0;
    }
    return provinces[two(s)] && regencies[two(s + 2)] && two(s + 4) != 0
           && valid_date(s + 6, women) && memcmp(s + 12, "0000", 4) != 0;
}

/* +62, 62 or 0, then 8, a digit 1-9, and 7 to 10 digits (not of two digits only). */
static int
valid_mobile(const unsigned char *s, Py_ssize_t n)
{
    Py_ssize_t skip;
    if (n >= 3 && s[0] == '+' && s[1] == '6' && s[2] == '2') {
        skip = 3;
    }
    else if (n >= 2 && s[0] == '6' && s[1] == '2') {
        skip = 2;
    }
    else if (n >= 1 && s[0] == '0') {
        skip = 1;
    }
    else {
        return 0;
    }
    s += skip;
    n -= skip;
    return n >= 9 && n <= 12 && all_digits(s, n) && !few_distinct(s, n) && s[0] == '8'
           && s[1] != '0';
}

enum kind { NIK, KK, PHONE, BPJS, NISN };

static int
valid_value(enum kind kind, const unsigned char *s, Py_ssize_t n,
            const unsigned char *provinces, const unsigned char *regencies)
{
    switch (kind) {
    case NIK:
        return valid_population_number(s, n, 1, provinces, regencies);
    case KK:
        return valid_population_number(s, n, 0, provinces, regencies);
    case PHONE:
        return valid_mobile(s, n);
    case BPJS:
        return n == 13 && all_digits(s, n);
    case NISN:
        return n == 10 && all_digits(s, n);
    }
    return 0;
}

static int
kind_of(PyObject *name, enum kind *kind)
{
    static const char *const names[] = {"nik", "kk", "phone", "bpjs", "nisn"};
    for (int i = 0; i < 5; i++) {
        if (PyUnicode_CompareWithASCIIString(name, names[i]) == 0) {
            *kind = (enum kind)i;
            return 1;
        }
    }
    PyErr_Format(PyExc_ValueError, "no column rule for kind %R", name);
    return 0;
}

static PyObject *
whole_column(PyObject *module, PyObject *args)
{
    PyObject *name, *text;
    Py_buffer provinces, regencies;
    enum kind kind;
    if (!PyArg_ParseTuple(args, "UUy*y*:whole_column", &name, &text, &provinces,
                          &regencies)) {
        return NULL;
    }
    PyObject *result = NULL;
    if (provinces.len != 100 || regencies.len != 100) {
        PyErr_SetString(PyExc_ValueError, "region masks are 100 bytes each");
        goto done;
    }
    if (!kind_of(name, &kind)) {
        goto done;
    }
    int valid = PyUnicode_IS_ASCII(text) && PyUnicode_GET_LENGTH(text) > 0;
    if (valid) {
        const unsigned char *s = PyUnicode_1BYTE_DATA(text);
        Py_ssize_t size = PyUnicode_GET_LENGTH(text), start = 0;
        while (valid) {
            const unsigned char *line_end = memchr(s + start, '\n', (size_t)(size - start));
            Py_ssize_t end = line_end == NULL ? size : line_end - s;
            /* A line break at the very end leaves an empty last line: not a column. */
            valid = end > start
                    && valid_value(kind, s + start, end - start, provinces.buf, regencies.buf);
            if (line_end == NULL) {
                break;
            }
            start = end + 1;
        }
    }
    result = PyBool_FromLong(valid);
done:
    PyBuffer_Release(&provinces);
    PyBuffer_Release(&regencies);
    return result;
}

/* One line of a column: where it starts, its length, its hash. */
typedef struct {
    const char *start;
    Py_ssize_t size;
    Py_hash_t hash;
} line_slot;

static Py_hash_t
hash_of(const char *s, Py_ssize_t n)
{
#if PY_VERSION_HEX >= 0x030E0000
    return Py_HashBuffer(s, n);
#else
    return _Py_HashBytes(s, n);
#endif
}

typedef struct {
    line_slot *slots;
    size_t mask; /* capacity - 1, capacity a power of two */
    Py_ssize_t used;
} line_table;

/* Adds the line; 1 when it was new, 0 when it was there already. */
static int
table_add(line_table *table, const char *s, Py_ssize_t n, int insert)
{
    Py_hash_t hash = hash_of(s, n);
    size_t i = (size_t)hash & table->mask;
    for (;;) {
        line_slot *slot = &table->slots[i];
        if (slot->start == NULL) {
            if (insert) {
                slot->start = s;
                slot->size = n;
                slot->hash = hash;
                table->used++;
            }
            return 1;
        }
        if (slot->hash == hash && slot->size == n && memcmp(slot->start, s, (size_t)n) == 0) {
            return 0;
        }
        i = (i + 1) & table->mask;
    }
}

static PyObject *
distinct_count(PyObject *module, PyObject *args)
{
    PyObject *texts_arg, *also_arg;
    if (!PyArg_ParseTuple(args, "OO:distinct_count", &texts_arg, &also_arg)) {
        return NULL;
    }
    PyObject *texts = PySequence_Fast(texts_arg, "texts must be a sequence of str");
    if (texts == NULL) {
        return NULL;
    }
    PyObject *result = NULL, *iterator = NULL, *item = NULL;
    line_table table = {NULL, 0, 0};
    Py_ssize_t count = PySequence_Fast_GET_SIZE(texts), lines = 0;
    PyObject **items = PySequence_Fast_ITEMS(texts);
    for (Py_ssize_t k = 0; k < count; k++) {
        if (!PyUnicode_Check(items[k]) || !PyUnicode_IS_ASCII(items[k])) {
            PyErr_SetString(PyExc_ValueError, "texts must be ASCII str");
            goto done;
        }
        const char *s = (const char *)PyUnicode_1BYTE_DATA(items[k]);
        Py_ssize_t n = PyUnicode_GET_LENGTH(items[k]);
        lines += 1;
        for (const char *at = s; (at = memchr(at, '\n', (size_t)(s + n - at))) != NULL; at++) {
            lines += 1;
        }
    }
    /* At most 70 % full. lines <= characters + texts, so the table's size is bounded
     * by the input's: a 8 M character document needs at most 2^24 slots. */
    size_t capacity = 16;
    while ((double)capacity * 0.7 < (double)lines) {
        if (capacity > ((size_t)PY_SSIZE_T_MAX / sizeof(line_slot)) / 2) {
            PyErr_NoMemory();
            goto done;
        }
        capacity *= 2;
    }
    table.slots = PyMem_Calloc(capacity, sizeof(line_slot));
    if (table.slots == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    table.mask = capacity - 1;
    for (Py_ssize_t k = 0; k < count; k++) {
        const char *s = (const char *)PyUnicode_1BYTE_DATA(items[k]);
        Py_ssize_t n = PyUnicode_GET_LENGTH(items[k]), start = 0;
        for (;;) {
            const char *end = memchr(s + start, '\n', (size_t)(n - start));
            Py_ssize_t stop = end == NULL ? n : end - s;
            table_add(&table, s + start, stop - start, 1);
            if (end == NULL) {
                break;
            }
            start = stop + 1;
        }
    }
    /* also: the values found elsewhere, a set (so distinct among themselves). A value
     * that is not ASCII cannot be one of the lines; neither can a duplicate be told
     * from a set's member, so only the lookup decides. */
    Py_ssize_t extra = 0;
    iterator = PyObject_GetIter(also_arg);
    if (iterator == NULL) {
        goto done;
    }
    while ((item = PyIter_Next(iterator)) != NULL) {
        if (!PyUnicode_Check(item)) {
            PyErr_SetString(PyExc_TypeError, "also must hold str");
            goto done;
        }
        if (!PyUnicode_IS_ASCII(item)
            || table_add(&table, (const char *)PyUnicode_1BYTE_DATA(item),
                         PyUnicode_GET_LENGTH(item), 0)) {
            extra += 1;
        }
        Py_CLEAR(item);
    }
    if (!PyErr_Occurred()) {
        result = PyLong_FromSsize_t(table.used + extra);
    }
done:
    Py_XDECREF(item);
    Py_XDECREF(iterator);
    PyMem_Free(table.slots);
    Py_DECREF(texts);
    return result;
}

static PyMethodDef methods[] = {
    {"whole_column", whole_column, METH_VARARGS,
     "whole_column(kind, text, provinces, regencies) -> bool\n\n"
     "Whether every line of text is a valid value of kind (nik, kk, phone, bpjs or\n"
     "nisn), with no empty line: what fastpath's compiled column pattern matches."},
    {"distinct_count", distinct_count, METH_VARARGS,
     "distinct_count(texts, also) -> int\n\n"
     "len(set of every line of every text, plus the strings in also): the texts are\n"
     "ASCII str; also is a set of str."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_column_rules",
    "Whole-column validation of header-declared identifier columns (see fastpath.py).",
    0, methods,
};

PyMODINIT_FUNC
PyInit__column_rules(void)
{
    return PyModule_Create(&module);
}
