/* qc._native: the per-character passes of qc's hot path, one C loop each.
 *
 * Every function here has a numpy twin in the Python modules (the fallback when this module
 * was not built), and tests/test_native.py holds the two equal. The Python side owns every
 * definition: the character flag table comes from qc.text._char_table, the bigram index from
 * qc.vocabulary; this file only walks the text.
 *
 * Arrays go out as bytearrays (int64, or uint32 signatures and float64 weights), read with
 * np.frombuffer on the Python side.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Loops that vectorise are also compiled for AVX2 (picked at load time where the CPU has it;
 * glibc's ifunc does the picking), eight 32-bit lanes an instruction, not SSE2's four. The
 * results are the same bits either way. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__)
#define VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define VECTOR_CLONES
#endif

/* Passes over two-byte text (Chinese copy) that read the flag table for every character also
 * have an AVX2 version, which reads sixteen characters at a time and gathers their flags;
 * has_avx2() picks it at run time. The results are the same bits (tests run both). */
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define AVX2_PATHS 1
#define AVX2 __attribute__((target("avx2,popcnt")))

static int has_avx2(void) {
    static int known = -1;
    if (known < 0) known = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
    return known;
}

/* Unsigned 16-bit x <= limit, lane by lane. */
AVX2 static inline __m256i at_most_u16(__m256i x, __m256i limit) {
    return _mm256_cmpeq_epi16(_mm256_min_epu16(x, limit), x);
}

/* The flags of sixteen characters, as sixteen 16-bit lanes: a gather reads four bytes a lane,
 * so `padded` is the table and three more bytes (padded_table). */
AVX2 static inline __m256i gathered_flags(const uint8_t *padded, __m256i chars) {
    const __m256i low_byte = _mm256_set1_epi32(0xFF);
    __m256i low = _mm256_cvtepu16_epi32(_mm256_castsi256_si128(chars));
    __m256i high = _mm256_cvtepu16_epi32(_mm256_extracti128_si256(chars, 1));
    __m256i flags_low = _mm256_and_si256(_mm256_i32gather_epi32((const int *)padded, low, 1), low_byte);
    __m256i flags_high = _mm256_and_si256(_mm256_i32gather_epi32((const int *)padded, high, 1), low_byte);
    /* packus interleaves 128-bit halves: put them back in order */
    return _mm256_permute4x64_epi64(_mm256_packus_epi32(flags_low, flags_high), 0xD8);
}
#endif

/* Bits of qc.text._char_table (kept in step by a test). */
enum { STABLE = 1, WORD = 2, CASED = 4, FINAL = 8, CLOSING = 16, ALNUM = 32, EXPANDED = 64 };
#define BMP 0x10000
#define HAN_FIRST 0x4E00
#define HAN_LAST 0x9FFF

/* The BMP flag table and four zero bytes (PyMem_Free it), or NULL with no exception set. */
static uint8_t *padded_table(const uint8_t *flags) {
    uint8_t *padded = PyMem_Malloc(BMP + 4);
    if (padded != NULL) {
        memcpy(padded, flags, BMP);
        memset(padded + BMP, 0, 4);
    }
    return padded;
}

static int table_of(Py_buffer *table) {
    if (table->len != BMP) {
        PyErr_SetString(PyExc_ValueError, "the flag table has one byte per BMP character");
        return -1;
    }
    return 0;
}

/* Flags of one character: the table for the BMP; beyond it, what the Python side computes for
 * astral characters (word characters by str.isalnum, never NFKC-stable). CASED is set for any
 * letter with case: it only sends a key through str.casefold, which is then exact anyway. */
static inline uint8_t flags_of(const uint8_t *table, Py_UCS4 c) {
    if (c < BMP) return table[c];
    uint8_t flags = Py_UNICODE_ISALNUM(c) ? WORD : 0;
    if (Py_UNICODE_ISUPPER(c) || Py_UNICODE_ISLOWER(c) || Py_UNICODE_ISTITLE(c)) flags |= CASED;
    return flags;
}

static PyObject *new_int64s(Py_ssize_t count) {
    PyObject *out = PyByteArray_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(int64_t));
    if (out != NULL && count > 0) memset(PyByteArray_AS_STRING(out), 0, count * sizeof(int64_t));
    return out;
}

static int64_t *int64s(PyObject *bytearray) { return (int64_t *)PyByteArray_AS_STRING(bytearray); }

static int int64_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t count, const char *what) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS) < 0) return -1;
    if (view->len != count * (Py_ssize_t)sizeof(int64_t)) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd int64 values", what, count);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* ---- fold(text, table, expansions) -> (folded text, unstable runs) ------------------------
 * Full-width forms U+FF01..U+FF5E and the ideographic space folded to ASCII, each EXPANDED
 * character replaced by its text in `expansions` (a dict: code point -> str, its NFKC, stable
 * text), and the runs of characters NFKC may still change, as int64 [start, end) pairs of the
 * folded text. The text itself comes back when nothing changed. */
static inline Py_UCS4 folded_char(Py_UCS4 c) {
    if (c - 0xFF01u < 0x5Eu) return c - 0xFEE0u;
    return c == 0x3000 ? 0x20 : c;
}

/* A growable array of int64. */
typedef struct {
    int64_t *values;
    Py_ssize_t size, capacity;
} Int64s;

static int append_int64(Int64s *array, int64_t value) {
    if (array->size == array->capacity) {
        Py_ssize_t capacity = array->capacity ? 2 * array->capacity : 64;
        int64_t *grown = PyMem_Realloc(array->values, capacity * sizeof(int64_t));
        if (grown == NULL) return -1;
        array->values = grown;
        array->capacity = capacity;
    }
    array->values[array->size++] = value;
    return 0;
}

/* The str that replaces EXPANDED character `c` (borrowed), or NULL with an exception. */
static PyObject *expansion_of(PyObject *expansions, Py_UCS4 c) {
    PyObject *key = PyLong_FromUnsignedLong(c);
    if (key == NULL) return NULL;
    PyObject *text = PyDict_GetItemWithError(expansions, key);
    Py_DECREF(key);
    if (text == NULL && !PyErr_Occurred())
        PyErr_Format(PyExc_ValueError, "no expansion for EXPANDED character U+%04X", c);
    else if (text != NULL && !PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "expansions: code point -> str");
        text = NULL;
    }
    return text;
}

/* The end of the stretch from `from` of characters that fold to stable, unexpanded ones
 * (nearly all of them): how many it changes and the widest it writes are added to *changes
 * and *widest. Small and on its own, so that the compiler keeps all it needs in registers. */
#define PLAIN_STRETCH(TYPE)                                                                 \
    {                                                                                       \
        const TYPE *chars = (const TYPE *)data;                                             \
        Py_ssize_t i = from, changed = 0;                                                   \
        Py_UCS4 most = *widest;                                                             \
        for (; i < size; i++) {                                                             \
            Py_UCS4 c = chars[i], f = folded_char(c);                                       \
            if ((flags_of(flags, f) & (STABLE | EXPANDED)) != STABLE) break;                \
            changed += f != c;                                                              \
            most = f > most ? f : most;                                                     \
        }                                                                                   \
        *changes += changed;                                                                \
        *widest = most;                                                                     \
        return i;                                                                           \
    }

#ifdef AVX2_PATHS
/* PLAIN_STRETCH of two-byte text by blocks of sixteen characters, up to the first block that
 * holds a character that is not plain (or fewer than sixteen are left): where it stopped.
 * `flags` must be padded (padded_table). */
AVX2 static Py_ssize_t plain_blocks(const uint8_t *flags, const Py_UCS2 *chars, Py_ssize_t i,
                                    Py_ssize_t size, Py_ssize_t *changes, Py_UCS4 *widest) {
    const __m256i wide_first = _mm256_set1_epi16((short)0xFF01), wide_last = _mm256_set1_epi16(0x5D);
    const __m256i narrowing = _mm256_set1_epi16((short)0xFEE0);
    const __m256i ideographic = _mm256_set1_epi16(0x3000), space = _mm256_set1_epi16(0x20);
    const __m256i plain_bits = _mm256_set1_epi16(STABLE | EXPANDED);
    const __m256i stable = _mm256_set1_epi16(STABLE);
    __m256i most = _mm256_set1_epi16((short)*widest);
    Py_ssize_t changed = 0;
    for (; i + 16 <= size; i += 16) {
        __m256i c = _mm256_loadu_si256((const __m256i *)(chars + i));
        __m256i wide = at_most_u16(_mm256_sub_epi16(c, wide_first), wide_last);
        __m256i f = _mm256_blendv_epi8(c, _mm256_sub_epi16(c, narrowing), wide);
        f = _mm256_blendv_epi8(f, space, _mm256_cmpeq_epi16(c, ideographic));
        __m256i plain = _mm256_cmpeq_epi16(_mm256_and_si256(gathered_flags(flags, f), plain_bits), stable);
        if ((unsigned)_mm256_movemask_epi8(plain) != 0xFFFFFFFFu) break;
        changed += __builtin_popcount(~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi16(f, c))) / 2;
        most = _mm256_max_epu16(most, f);
    }
    uint16_t lanes[16];
    _mm256_storeu_si256((__m256i *)lanes, most);
    for (int k = 0; k < 16; k++) *widest = lanes[k] > *widest ? lanes[k] : *widest;
    *changes += changed;
    return i;
}
#endif

static Py_ssize_t plain_stretch(const uint8_t *restrict flags, int kind, const void *data,
                                Py_ssize_t from, Py_ssize_t size, Py_ssize_t *restrict changes,
                                Py_UCS4 *restrict widest, int padded) {
    if (kind == PyUnicode_1BYTE_KIND) PLAIN_STRETCH(Py_UCS1)
#ifdef AVX2_PATHS
    if (kind == PyUnicode_2BYTE_KIND && padded)
        from = plain_blocks(flags, (const Py_UCS2 *)data, from, size, changes, widest);
#endif
    if (kind == PyUnicode_2BYTE_KIND) PLAIN_STRETCH(Py_UCS2)
    PLAIN_STRETCH(Py_UCS4)
}
#undef PLAIN_STRETCH

/* One pass: how many characters folding changes, where the expanded ones are and how many
 * characters their expansions add, the widest character written, and the runs of written
 * characters that are not NFKC-stable ([start, end) pairs, in the folded text's offsets).
 * -1 with an exception on failure. Plain stretches are skipped by plain_stretch. */
static int scan_fold(const uint8_t *flags, int padded, PyObject *expansions, int kind,
                     const void *data, Py_ssize_t size, Py_ssize_t *changed, Int64s *expanded,
                     Py_ssize_t *added, Py_UCS4 *max_char, Int64s *runs) {
    int was_unstable = 0;
    *changed = 0;
    *max_char = 0;
    for (Py_ssize_t i = 0; i < size; i++) {
        if (!was_unstable) {
            i = plain_stretch(flags, kind, data, i, size, changed, max_char, padded);
            if (i == size) break;
        }
        Py_UCS4 c = PyUnicode_READ(kind, data, i), f = folded_char(c);
        uint8_t bits = flags_of(flags, f);
        *changed += f != c;
        if (bits & EXPANDED) { /* rare: … Ⅱ ① */
            PyObject *text = expansion_of(expansions, f);
            if (text == NULL) return -1;
            Py_UCS4 its_widest = PyUnicode_MAX_CHAR_VALUE(text);
            if (its_widest > *max_char) *max_char = its_widest;
            *added += PyUnicode_GET_LENGTH(text) - 1;
            if (append_int64(expanded, i) < 0) goto no_memory;
            bits = STABLE;
        } else if (f > *max_char) {
            *max_char = f;
        }
        int unstable = !(bits & STABLE);
        if (unstable != was_unstable && append_int64(runs, i + *added) < 0) goto no_memory;
        was_unstable = unstable;
    }
    if (!was_unstable || append_int64(runs, size + *added) == 0) return 0; /* close a run */
no_memory:
    PyErr_NoMemory();
    return -1;
}

/* Folds text[from, to) into `out` from `at`; returns where it stopped writing. */
VECTOR_CLONES
static Py_ssize_t write_stretch(int kind, const void *data, Py_ssize_t from, Py_ssize_t to,
                                int out_kind, void *out, Py_ssize_t at) {
    if (kind == PyUnicode_2BYTE_KIND && out_kind == kind) { /* Chinese copy: one load, one store */
        const Py_UCS2 *source = (const Py_UCS2 *)data + from;
        Py_UCS2 *target = (Py_UCS2 *)out + at;
        for (Py_ssize_t i = 0; i < to - from; i++) target[i] = (Py_UCS2)folded_char(source[i]);
        return at + to - from;
    }
    for (Py_ssize_t i = from; i < to; i++)
        PyUnicode_WRITE(out_kind, out, at++, folded_char(PyUnicode_READ(kind, data, i)));
    return at;
}

/* Writes the folded text into `folded` (of the length the scan found): stretches between the
 * expanded characters (at the offsets in `expanded`), and each one's expansion. */
static int write_folded(PyObject *text, PyObject *expansions, const Int64s *expanded,
                        PyObject *folded) {
    int kind = PyUnicode_KIND(text), out_kind = PyUnicode_KIND(folded);
    const void *data = PyUnicode_DATA(text);
    void *out = PyUnicode_DATA(folded);
    Py_ssize_t at = 0, from = 0;
    for (Py_ssize_t e = 0; e < expanded->size; e++) {
        Py_ssize_t where = expanded->values[e];
        at = write_stretch(kind, data, from, where, out_kind, out, at);
        PyObject *expansion =
            expansion_of(expansions, folded_char(PyUnicode_READ(kind, data, where)));
        if (expansion == NULL) return -1;
        for (Py_ssize_t k = 0; k < PyUnicode_GET_LENGTH(expansion); k++)
            PyUnicode_WRITE(out_kind, out, at++, PyUnicode_READ_CHAR(expansion, k));
        from = where + 1;
    }
    write_stretch(kind, data, from, PyUnicode_GET_LENGTH(text), out_kind, out, at);
    return 0;
}

static PyObject *fold(PyObject *self, PyObject *args) {
    PyObject *text, *expansions;
    Py_buffer table;
    if (!PyArg_ParseTuple(args, "Uy*O!", &text, &table, &PyDict_Type, &expansions)) return NULL;
    PyObject *folded = NULL, *runs = NULL, *result = NULL;
    Int64s bounds = {NULL, 0, 0}, expanded = {NULL, 0, 0};
    uint8_t *padded = NULL;
    if (table_of(&table) < 0) goto done;
    Py_ssize_t size = PyUnicode_GET_LENGTH(text), changed = 0, added = 0;
    Py_UCS4 max_char = 0;
    const uint8_t *flags = table.buf;
#ifdef AVX2_PATHS
    if (PyUnicode_KIND(text) == PyUnicode_2BYTE_KIND && size >= 64 && has_avx2())
        padded = padded_table(table.buf); /* NULL: the plain loop, on the table */
    if (padded != NULL) flags = padded;
#endif
    if (scan_fold(flags, padded != NULL, expansions, PyUnicode_KIND(text), PyUnicode_DATA(text),
                  size, &changed, &expanded, &added, &max_char, &bounds) < 0)
        goto done;
    runs = PyByteArray_FromStringAndSize((const char *)bounds.values,
                                         bounds.size * (Py_ssize_t)sizeof(int64_t));
    if (runs == NULL) goto done;
    if (changed || expanded.size) {
        /* PyUnicode_New picks the smallest kind for max_char: the canonical form that
         * CPython's comparisons rely on (folded full-width text may become ASCII). The
         * expansions are read again: the dict is the caller's, and unchanged meanwhile. */
        if ((folded = PyUnicode_New(size + added, max_char)) == NULL) goto done;
        if (write_folded(text, expansions, &expanded, folded) < 0) goto done;
    } else {
        folded = Py_NewRef(text);
    }
    result = PyTuple_Pack(2, folded, runs);
done:
    PyMem_Free(bounds.values);
    PyMem_Free(expanded.values);
    PyMem_Free(padded);
    PyBuffer_Release(&table);
    Py_XDECREF(folded);
    Py_XDECREF(runs);
    return result;
}

/* ---- keys(text, table) -> (key, needs casefold) ------------------------------------------
 * The word characters and line breaks of NFKC text, A-Z lowered; the flag says a character
 * with case beyond A-Z is present, so the caller must str.casefold() the key. */
/* Copy the kept characters of `data` to `out`, of the same kind (with room for one more):
 * word characters and line breaks, A-Z lowered; return how many, and set *other_case if one
 * has case beyond A-Z. One loop per kind, so reading and writing a character is one load and
 * one store; branch-free, as punctuation comes too irregularly to predict: every character is
 * written, and the next overwrites it unless it was kept. */
#define KEEP_WORDS(TYPE)                                                                   \
    {                                                                                      \
        const TYPE *from = (const TYPE *)data;                                             \
        TYPE *to = (TYPE *)out;                                                            \
        for (Py_ssize_t i = start; i < size; i++) {                                        \
            Py_UCS4 c = from[i];                                                           \
            uint8_t f = flags_of(flags, c), upper = c - 'A' < 26u;                         \
            uint8_t keep = (f & WORD) != 0 || c == '\n';                                   \
            cased |= f & (uint8_t)-(keep & !upper);                                        \
            to[kept] = (TYPE)(c + 32 * upper);                                             \
            kept += keep;                                                                  \
        }                                                                                  \
        *other_case = (cased & CASED) != 0;                                                \
    }

#ifdef AVX2_PATHS
/* Per 8-bit mask of 16-bit lanes: the pshufb control that packs the lanes set in it to the
 * front of 16 bytes, in order (0x80: a zero byte after them). */
static uint8_t pack_lanes[256][16];

static void fill_pack_lanes(void) {
    for (int mask = 0; mask < 256; mask++) {
        int at = 0;
        for (int lane = 0; lane < 8; lane++) {
            if (!((mask >> lane) & 1)) continue;
            pack_lanes[mask][at++] = (uint8_t)(2 * lane);
            pack_lanes[mask][at++] = (uint8_t)(2 * lane + 1);
        }
        while (at < 16) pack_lanes[mask][at++] = 0x80;
    }
}

/* KEEP_WORDS of two-byte text, sixteen characters at a time: their flags gathered from
 * `padded` (the table and three more bytes, as a gather reads four bytes a lane), the kept
 * ones packed to the front eight at a time by a pshufb from `pack_lanes`. The tail and other
 * machines take the loop above; the results are the same. Returns where it stopped (fewer than
 * sixteen characters before the end), with how many it kept in *kept_out and the kept ones'
 * flags or-ed into *cased_out: the loop goes on from there. */
AVX2 static Py_ssize_t keep_words_avx2(const uint8_t *padded, const Py_UCS2 *from,
                                       Py_ssize_t size, Py_UCS2 *to, Py_ssize_t *kept_out,
                                       uint8_t *cased_out) {
    const __m256i word = _mm256_set1_epi16(WORD);
    const __m256i line_break = _mm256_set1_epi16('\n'), upper_a = _mm256_set1_epi16('A');
    const __m256i letters = _mm256_set1_epi16(25), to_lower = _mm256_set1_epi16(32);
    __m256i cased = _mm256_setzero_si256();
    Py_ssize_t kept = 0, i = 0;
    for (; i + 16 <= size; i += 16) {
        __m256i chars = _mm256_loadu_si256((const __m256i *)(from + i));
        __m256i flags = gathered_flags(padded, chars);
        __m256i keep = _mm256_or_si256(
            _mm256_cmpgt_epi16(_mm256_and_si256(flags, word), _mm256_setzero_si256()),
            _mm256_cmpeq_epi16(chars, line_break));
        __m256i upper = at_most_u16(_mm256_sub_epi16(chars, upper_a), letters);
        cased = _mm256_or_si256(cased, _mm256_andnot_si256(upper, _mm256_and_si256(keep, flags)));
        __m256i lowered = _mm256_add_epi16(chars, _mm256_and_si256(upper, to_lower));
        /* one bit per lane, eight lanes a half */
        __m128i keep_bytes = _mm_packs_epi16(_mm256_castsi256_si128(keep),
                                             _mm256_extracti128_si256(keep, 1));
        unsigned lanes = (unsigned)_mm_movemask_epi8(keep_bytes);
        __m128i first = _mm256_castsi256_si128(lowered);
        __m128i second = _mm256_extracti128_si256(lowered, 1);
        __m128i pack_first = _mm_loadu_si128((const __m128i *)pack_lanes[lanes & 0xFF]);
        __m128i pack_second = _mm_loadu_si128((const __m128i *)pack_lanes[lanes >> 8]);
        _mm_storeu_si128((__m128i *)(to + kept), _mm_shuffle_epi8(first, pack_first));
        kept += __builtin_popcount(lanes & 0xFF);
        _mm_storeu_si128((__m128i *)(to + kept), _mm_shuffle_epi8(second, pack_second));
        kept += __builtin_popcount(lanes >> 8);
    }
    uint8_t lanes_cased[32];
    _mm256_storeu_si256((__m256i *)lanes_cased, cased);
    for (int b = 0; b < 32; b++) *cased_out |= lanes_cased[b];
    *kept_out = kept;
    return i;
}
#endif

static Py_ssize_t keep_words(const uint8_t *flags, int kind, const void *data, Py_ssize_t size,
                             void *out, int *other_case) {
    Py_ssize_t kept = 0, start = 0;
    uint8_t cased = 0;
#ifdef AVX2_PATHS
    uint8_t *padded = kind == PyUnicode_2BYTE_KIND && size >= 64 && has_avx2()
                          ? padded_table(flags) /* NULL: the loop does it all */
                          : NULL;
    if (padded != NULL) {
        start = keep_words_avx2(padded, data, size, out, &kept, &cased);
        PyMem_Free(padded);
    }
#endif
    if (kind == PyUnicode_1BYTE_KIND) KEEP_WORDS(Py_UCS1)
    else if (kind == PyUnicode_2BYTE_KIND) KEEP_WORDS(Py_UCS2)
    else KEEP_WORDS(Py_UCS4)
    return kept;
}
#undef KEEP_WORDS

static PyObject *keys(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_buffer table;
    if (!PyArg_ParseTuple(args, "Uy*", &text, &table)) return NULL;
    PyObject *key = NULL;
    void *buffer = NULL;
    int other_case = 0;
    if (table_of(&table) < 0) goto done;
    int kind = PyUnicode_KIND(text);
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    if ((buffer = PyMem_Malloc((size + 1) * kind)) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t kept = keep_words(table.buf, kind, PyUnicode_DATA(text), size, buffer, &other_case);
    /* FromKindAndData finds the widest character and stores the key in the canonical kind. */
    key = PyUnicode_FromKindAndData(kind, buffer, kept);
done:
    PyMem_Free(buffer);
    PyBuffer_Release(&table);
    if (key == NULL) return NULL;
    return Py_BuildValue("(NO)", key, other_case ? Py_True : Py_False);
}

/* ---- sentences(text, table) -> (starts, ends, word starts, word ends, lines, words) --------
 * Sentences of paragraphs joined by line breaks. A sentence ends after a run of final
 * punctuation, or after a dot with no letter or digit on either side, and any closing quotes
 * or brackets right after it; line breaks end sentences and belong to none. Pieces without a
 * word character are left out. For each sentence: its [start, end) in the text, the number of
 * word characters before its start and before its end (where its key lies in the paragraphs'
 * keys laid end to end), and the line it is on; and the text's count of word characters. */
/* Cuts of sentences(): an offset and the count of word characters before it. */
typedef struct {
    Int64s at, words;
} Cuts;

static int cut(Cuts *cuts, int64_t at, int64_t words) { /* pieces start at 0: no cut there */
    if (at <= (cuts->at.size > 0 ? cuts->at.values[cuts->at.size - 1] : 0)) return 0;
    return append_int64(&cuts->at, at) < 0 || append_int64(&cuts->words, words) < 0 ? -1 : 0;
}

/* Cut at every sentence end and around every line break, in one pass. One loop per kind;
 * `words` is the count of word characters before i, and the count at a cut is the count
 * before it, so each cut records it as it is made (the cut past closing quotes counts the
 * word characters among them too). */
#define CUT_KIND(TYPE)                                                                       \
    {                                                                                        \
        const TYPE *chars = (const TYPE *)data;                                              \
        for (Py_ssize_t i = 0; i < n; i++) {                                                 \
            Py_UCS4 c = chars[i];                                                            \
            uint8_t f = flags_of(flags, c);                                                  \
            if (c == '\n') {                                                                 \
                if (cut(cuts, i, words) < 0 || cut(cuts, i + 1, words) < 0) return -1;       \
                continue;                                                                    \
            }                                                                                \
            words += (f & WORD) != 0;                                                        \
            int ends = 0;                                                                    \
            if (f & FINAL) {                                                                 \
                ends = i + 1 == n || !(flags_of(flags, chars[i + 1]) & FINAL);               \
            } else if (c == '.') {                                                           \
                int before = i > 0 && (flags_of(flags, chars[i - 1]) & ALNUM);               \
                int after = i + 1 < n && (flags_of(flags, chars[i + 1]) & ALNUM);            \
                ends = !before && !after;                                                    \
            }                                                                                \
            if (ends) {                                                                      \
                Py_ssize_t end = i + 1;                                                      \
                int64_t at_end = words;                                                      \
                while (end < n && (flags_of(flags, chars[end]) & CLOSING)) {                 \
                    at_end += (flags_of(flags, chars[end]) & WORD) != 0;                     \
                    end++;                                                                   \
                }                                                                            \
                if (cut(cuts, end, at_end) < 0) return -1;                                   \
            }                                                                                \
        }                                                                                    \
        return cut(cuts, n, words);                                                          \
    }

static int cut_sentences(const uint8_t *flags, int kind, const void *data, Py_ssize_t n,
                         Cuts *cuts) {
    int64_t words = 0;
    if (kind == PyUnicode_1BYTE_KIND) CUT_KIND(Py_UCS1)
    else if (kind == PyUnicode_2BYTE_KIND) CUT_KIND(Py_UCS2)
    else CUT_KIND(Py_UCS4)
}
#undef CUT_KIND

static PyObject *sentences(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_buffer table;
    if (!PyArg_ParseTuple(args, "Uy*", &text, &table)) return NULL;
    PyObject *out[5] = {NULL, NULL, NULL, NULL, NULL}, *result = NULL;
    Cuts cuts = {{NULL, 0, 0}, {NULL, 0, 0}};
    if (table_of(&table) < 0) goto done;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (cut_sentences(table.buf, kind, data, n, &cuts) < 0) {
        PyErr_NoMemory();
        goto done;
    }
    /* Keep the pieces between cuts that hold a word character; a line break is a piece of
     * its own and moves on to the next line. */
    const int64_t *at = cuts.at.values, *words = cuts.words.values;
    Py_ssize_t kept = 0;
    for (Py_ssize_t k = 0; k < cuts.at.size; k++) kept += words[k] > (k ? words[k - 1] : 0);
    for (int j = 0; j < 5; j++) {
        if ((out[j] = new_int64s(kept)) == NULL) goto done;
    }
    int64_t *starts = int64s(out[0]), *ends = int64s(out[1]);
    int64_t *word_starts = int64s(out[2]), *word_ends = int64s(out[3]), *lines = int64s(out[4]);
    Py_ssize_t piece = 0;
    int64_t line = 0, start = 0, start_words = 0;
    for (Py_ssize_t k = 0; k < cuts.at.size; k++) {
        if (start < n && PyUnicode_READ(kind, data, start) == '\n') {
            line++;
        } else if (words[k] > start_words) {
            starts[piece] = start;
            ends[piece] = at[k];
            word_starts[piece] = start_words;
            word_ends[piece] = words[k];
            lines[piece++] = line;
        }
        start = at[k];
        start_words = words[k];
    }
    int64_t total = cuts.words.size ? words[cuts.words.size - 1] : 0;
    result = Py_BuildValue("(OOOOOL)", out[0], out[1], out[2], out[3], out[4], (long long)total);
done:
    PyMem_Free(cuts.at.values);
    PyMem_Free(cuts.words.values);
    PyBuffer_Release(&table);
    for (int j = 0; j < 5; j++) Py_XDECREF(out[j]);
    return result;
}

/* Texts joined by one separator character, with each one's length (int64): validated, and
 * the lengths' buffer kept in `view` (released by the caller); -1 with an exception. */
static int joined_lengths(PyObject *text, PyObject *lengths, Py_buffer *view, Py_ssize_t *count) {
    if (PyObject_GetBuffer(lengths, view, PyBUF_C_CONTIGUOUS) < 0) return -1;
    *count = view->len / (Py_ssize_t)sizeof(int64_t);
    const int64_t *length = view->buf;
    Py_ssize_t size = PyUnicode_GET_LENGTH(text), total = *count > 0 ? *count - 1 : 0;
    int bad = view->len % (Py_ssize_t)sizeof(int64_t) != 0 || total > size;
    for (Py_ssize_t t = 0; t < *count && !bad; t++) { /* total <= size: no overflow */
        bad = length[t] < 0 || length[t] > size - total;
        total += bad ? 0 : (Py_ssize_t)length[t];
    }
    if (bad || total != size) {
        PyErr_SetString(PyExc_ValueError, "lengths: int64 per text, the texts joined by one "
                                          "character making up the whole text");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* ---- news_counts(text, lengths, ranks, width, known_bits) -> (totals, knowns) -------------
 * Per text (the texts joined by one character, `lengths` each one's), its Han bigrams and how
 * many are known: `ranks` (int32, one per Han character, each < width) gives rows and columns
 * of a width x width bit matrix, `known_bits`, packed little-endian, whose row 0 and column 0
 * (rank 0: a character in no known bigram) are clear. */

/* Per BMP character: its rank times two, plus one if it is Han. A pair's cell is then read
 * from the two codes alone; any pair with a character that is not Han, or of rank 0, lands in
 * row or column 0 and counts nothing, so the loop needs no test of either. */
static uint16_t *han_codes(const int32_t *ranks, Py_ssize_t width) {
    uint16_t *codes = PyMem_Calloc(BMP, sizeof(uint16_t));
    if (codes == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t c = HAN_FIRST; c <= HAN_LAST; c++) {
        int32_t rank = ranks[c - HAN_FIRST];
        if (rank < 0 || rank >= width) {
            PyErr_SetString(PyExc_ValueError, "ranks: every rank in 0..width-1");
            PyMem_Free(codes);
            return NULL;
        }
        codes[c] = (uint16_t)(2 * rank + 1);
    }
    return codes;
}

/* Row 0 and column 0 of the matrix are clear (see han_codes). */
static int edges_clear(const uint8_t *bits, Py_ssize_t width) {
    for (Py_ssize_t k = 0; k < width; k++) {
        Py_ssize_t row = k, column = k * width;
        if ((bits[row >> 3] >> (row & 7)) & 1 || (bits[column >> 3] >> (column & 7)) & 1)
            return 0;
    }
    return 1;
}

static PyObject *news_counts(PyObject *self, PyObject *args) {
    PyObject *text, *lengths;
    Py_buffer ranks_view, bits_view, lengths_view;
    Py_ssize_t width, count;
    if (!PyArg_ParseTuple(args, "UOy*ny*", &text, &lengths, &ranks_view, &width, &bits_view))
        return NULL;
    PyObject *totals = NULL, *knowns = NULL, *result = NULL;
    uint16_t *codes = NULL;
    if (joined_lengths(text, lengths, &lengths_view, &count) < 0) {
        PyBuffer_Release(&ranks_view);
        PyBuffer_Release(&bits_view);
        return NULL;
    }
    if (ranks_view.len != (HAN_LAST - HAN_FIRST + 1) * (Py_ssize_t)sizeof(int32_t)) {
        PyErr_SetString(PyExc_ValueError, "ranks: one int32 per Han character");
        goto done;
    }
    const uint8_t *bits = bits_view.buf;
    if (width < 1 || width > 0x7FFF || (uint64_t)width * width > 8 * (uint64_t)bits_view.len ||
        !edges_clear(bits, width)) {
        PyErr_SetString(PyExc_ValueError, "known_bits: a width x width matrix (width < 2^15) "
                                          "whose row and column 0 (rank 0) are clear");
        goto done;
    }
    if ((codes = han_codes(ranks_view.buf, width)) == NULL) goto done;
    if ((totals = new_int64s(count)) == NULL || (knowns = new_int64s(count)) == NULL) goto done;
    const int64_t *length = lengths_view.buf;
    int64_t *total = int64s(totals), *known = int64s(knowns);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (kind == PyUnicode_1BYTE_KIND) goto counted; /* no Han character */
/* One loop per string kind, so that reading a character is one load. Branch-free: in
 * Chinese copy a Han character and anything else alternate too often to predict. */
#define COUNT_KIND(TYPE, CODE)                                                               \
    {                                                                                        \
        const TYPE *chars = (const TYPE *)data;                                              \
        for (Py_ssize_t t = 0, start = 0; t < count; start += length[t++] + 1) {             \
            uint32_t previous = 0; /* the previous character's code */                       \
            uint64_t pairs = 0, found = 0;                                                   \
            const TYPE *end = chars + start + length[t];                                     \
            for (const TYPE *at = chars + start; at < end; at++) {                           \
                uint32_t code = CODE;                                                        \
                uint64_t cell = (uint64_t)(previous >> 1) * (uint64_t)width + (code >> 1);   \
                pairs += previous & code & 1;                                                \
                found += (bits[cell >> 3] >> (cell & 7)) & 1;                                \
                previous = code;                                                             \
            }                                                                                \
            total[t] = (int64_t)pairs;                                                       \
            known[t] = (int64_t)found;                                                       \
        }                                                                                    \
    }
    if (kind == PyUnicode_2BYTE_KIND)
        COUNT_KIND(Py_UCS2, codes[*at])
    else
        COUNT_KIND(Py_UCS4, (*at < BMP ? codes[*at] : 0))
#undef COUNT_KIND
counted:
    result = PyTuple_Pack(2, totals, knowns);
done:
    PyMem_Free(codes);
    PyBuffer_Release(&lengths_view);
    PyBuffer_Release(&ranks_view);
    PyBuffer_Release(&bits_view);
    Py_XDECREF(totals);
    Py_XDECREF(knowns);
    return result;
}

/* ---- shared_windows(text, lengths, ngram, scopes, units, sizes, classes=None)
 *      -> counts per unit kind
 * For every unit kind, how many n-gram windows of each unit also occur in another unit of
 * its scope. `text` is all texts laid end to end (`lengths`: each text's length); a window
 * belongs to the text it starts in, may run on into the next, and is grouped with the
 * windows of the same content in the same scope. Scopes and units are int64 per text and
 * non-decreasing, so a group's units differ exactly when its first and last owners' do.
 * Windows of up to three characters are compared exactly (21 bits a code point); longer
 * ones by a 64-bit hash, whose rare collisions can only raise a count.
 * `classes`, when given, holds per kind None or (class of each unit: uint8 < 64, the classes
 * near it: a uint64 bit mask per unit). A kind with classes counts a window only when it also
 * occurs in another unit of a near class: each group keeps the classes of its units, and
 * those held by two units or more. */
typedef struct {
    uint64_t key;
    int32_t group; /* the windows of this content, numbered as met; < 0: empty */
} Slot;

typedef struct {
    int32_t first, last; /* the first and last text holding the content */
    uint32_t slot;       /* its slot, to empty after the scope */
} Group;

typedef struct { /* per slot and classed kind: the classes of the group's units */
    uint64_t held, twice; /* held by a unit; by two units or more */
    int64_t last_unit;    /* the last unit added (units come in order) */
} ClassMasks;

/* Reads one kind's (classes, near) pair; its units must all be in 0..size-1. */
static int class_buffers(PyObject *pair, const Py_buffer *unit, Py_ssize_t size,
                         Py_buffer *classes, Py_buffer *near) {
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
        PyErr_SetString(PyExc_ValueError, "classes: (uint8 class, uint64 near mask) per unit");
        return -1;
    }
    if (PyObject_GetBuffer(PyTuple_GET_ITEM(pair, 0), classes, PyBUF_C_CONTIGUOUS) < 0) return -1;
    if (PyObject_GetBuffer(PyTuple_GET_ITEM(pair, 1), near, PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(classes);
        return -1;
    }
    const uint8_t *class_of = classes->buf;
    const int64_t *units = unit->buf;
    int bad = classes->len != size || near->len != size * (Py_ssize_t)sizeof(uint64_t);
    for (Py_ssize_t i = 0; !bad && i < size; i++) bad = class_of[i] > 63;
    for (Py_ssize_t t = 0; !bad && t < unit->len / (Py_ssize_t)sizeof(int64_t); t++)
        bad = units[t] < 0 || units[t] >= size;
    if (bad) {
        PyErr_SetString(PyExc_ValueError,
                        "classes: one class (< 64) and mask per unit, and every unit in range");
        PyBuffer_Release(classes);
        PyBuffer_Release(near);
        return -1;
    }
    return 0;
}

/* The keys of windows [low, high) of the text (kind, data): one loop per kind. Up to three
 * characters, a key is the window's code points, 21 bits each. */
#define WINDOW_KEYS(TYPE)                                                                   \
    {                                                                                       \
        const TYPE *chars = (const TYPE *)data;                                             \
        if (ngram == 3) { /* each key on its own: no chain from one window to the next */   \
            for (Py_ssize_t i = low; i < high; i++)                                         \
                out[i - low] = ((uint64_t)chars[i] << 42) | ((uint64_t)chars[i + 1] << 21) |  \
                               chars[i + 2];                                                \
            return;                                                                         \
        }                                                                                   \
        if (ngram < 3) {                                                                    \
            uint64_t mask = ((uint64_t)1 << (21 * ngram)) - 1, key = 0;                     \
            for (Py_ssize_t k = 0; k + 1 < ngram; k++) key = (key << 21) | chars[low + k];  \
            const TYPE *next = chars + low + ngram - 1;                                     \
            for (Py_ssize_t i = 0; i < high - low; i++) {                                   \
                key = ((key << 21) | next[i]) & mask;                                       \
                out[i] = key;                                                               \
            }                                                                               \
            return;                                                                         \
        }                                                                                   \
        for (Py_ssize_t i = low; i < high; i++) {                                           \
            uint64_t key = 0xcbf29ce484222325ull;                                           \
            for (Py_ssize_t k = 0; k < ngram; k++) key = (key ^ chars[i + k]) * 0x100000001b3ull; \
            out[i - low] = key;                                                             \
        }                                                                                   \
        return;                                                                             \
    }

VECTOR_CLONES
static void window_keys_of(int kind, const void *data, Py_ssize_t low, Py_ssize_t high,
                           Py_ssize_t ngram, uint64_t *out) {
    if (kind == PyUnicode_1BYTE_KIND) WINDOW_KEYS(Py_UCS1)
    if (kind == PyUnicode_2BYTE_KIND) WINDOW_KEYS(Py_UCS2)
    WINDOW_KEYS(Py_UCS4)
}
#undef WINDOW_KEYS

/* The slot of `key`: Fibonacci hashing (the top bits of key * 2^64/phi), linear probing. */
static inline uint32_t slot_for(const Slot *slots, int shift, uint64_t key) {
    uint64_t mask = (~0ull) >> shift;
    uint64_t at = (key * 0x9E3779B97F4A7C15ull) >> shift;
    while (slots[at].group >= 0 && slots[at].key != key) at = (at + 1) & mask;
    return (uint32_t)at;
}

static int table_shift(Py_ssize_t entries) { /* 2^(64 - shift) slots, at most half full */
    int shift = 60;
    while ((1ull << (64 - shift)) < 2 * (uint64_t)entries) shift--;
    return shift;
}

/* 64-bit words of each of the two bitmaps that screen `windows` windows: a bit per 16
 * windows or more (at least 4,096 bits), so both stay in the L1 cache for an article. */
static Py_ssize_t seen_words(Py_ssize_t windows) {
    Py_ssize_t bits = 4096;
    while (bits < 16 * windows) bits *= 2;
    return bits / 64;
}

/* The positions of the windows whose key's bit is hit twice (`seen`: two bitmaps of
 * seen_words(count) words, left cleared): every window whose content occurs again is among
 * them, and few others are, so only they go to the slot table, which lives in L2. */
static Py_ssize_t repeated_windows(const uint64_t *keys, Py_ssize_t count, uint64_t *seen,
                                   int32_t *out) {
    Py_ssize_t words = seen_words(count), found = 0;
    int shift = 64;
    while ((1ll << (64 - shift)) < words * 64) shift--;
    uint64_t *once = seen, *twice = seen + words;
    for (Py_ssize_t i = 0; i < count; i++) {
        uint64_t bit = (keys[i] * 0x9E3779B97F4A7C15ull) >> shift;
        uint64_t mask = 1ull << (bit & 63);
        twice[bit >> 6] |= once[bit >> 6] & mask;
        once[bit >> 6] |= mask;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        uint64_t bit = (keys[i] * 0x9E3779B97F4A7C15ull) >> shift;
        out[found] = (int32_t)i;
        found += (twice[bit >> 6] >> (bit & 63)) & 1;
    }
    memset(seen, 0, 2 * words * sizeof(uint64_t));
    return found;
}

static PyObject *shared_windows(PyObject *self, PyObject *args) {
    PyObject *text, *lengths_obj, *scopes_obj, *units_obj, *sizes_obj, *classes_obj = Py_None;
    Py_ssize_t ngram;
    if (!PyArg_ParseTuple(args, "UOnOO!O!|O", &text, &lengths_obj, &ngram, &scopes_obj,
                          &PyList_Type, &units_obj, &PyList_Type, &sizes_obj, &classes_obj))
        return NULL;
    Py_ssize_t kinds = PyList_GET_SIZE(units_obj);
    if (ngram < 1 || kinds != PyList_GET_SIZE(sizes_obj) || kinds > 8) {
        PyErr_SetString(PyExc_ValueError, "ngram >= 1, and one size per unit kind (at most 8)");
        return NULL;
    }
    if (classes_obj != Py_None && (!PyList_Check(classes_obj) ||
                                   PyList_GET_SIZE(classes_obj) != kinds)) {
        PyErr_SetString(PyExc_ValueError, "classes: None, or a list with one entry per kind");
        return NULL;
    }
    Py_buffer lengths_view = {0}, scopes_view = {0}, unit_views[8] = {{0}};
    Py_buffer class_views[8] = {{0}}, near_views[8] = {{0}};
    PyObject *counts = NULL, *result = NULL;
    ClassMasks *masks = NULL;
    Py_ssize_t classed[8], classed_kinds = 0, got_classes = 0, mask_of[8];
    Slot *slots = NULL;
    Group *groups = NULL;
    int32_t *group_of = NULL;
    Py_ssize_t *starts = NULL, *text_starts = NULL, *first_texts = NULL;
    uint64_t *window_keys = NULL, *seen = NULL;
    int32_t *candidates = NULL, *owners = NULL;
    Py_ssize_t texts = PyObject_Length(lengths_obj), got_units = 0;
    if (texts < 0 || int64_buffer(lengths_obj, &lengths_view, texts, "lengths") < 0) goto done;
    if (int64_buffer(scopes_obj, &scopes_view, texts, "scopes") < 0) goto done;
    for (; got_units < kinds; got_units++) {
        PyObject *unit = PyList_GET_ITEM(units_obj, got_units);
        if (int64_buffer(unit, &unit_views[got_units], texts, "units") < 0) goto done;
    }
    for (; classes_obj != Py_None && got_classes < kinds; got_classes++) {
        PyObject *pair = PyList_GET_ITEM(classes_obj, got_classes);
        if (pair == Py_None) continue;
        Py_ssize_t size = PyLong_AsSsize_t(PyList_GET_ITEM(sizes_obj, got_classes));
        if (size < 0 && PyErr_Occurred()) goto done;
        if (class_buffers(pair, &unit_views[got_classes], size, &class_views[got_classes],
                          &near_views[got_classes]) < 0)
            goto done;
        classed[classed_kinds++] = got_classes;
    }
    for (Py_ssize_t k = 0, m = 0; k < kinds; k++) /* each kind's place among the classed */
        mask_of[k] = m < classed_kinds && classed[m] == k ? m++ : -1;
    if ((counts = PyList_New(kinds)) == NULL) goto done;
    int text_kind = PyUnicode_KIND(text);
    const void *text_data = PyUnicode_DATA(text);
    int64_t *count_of[8];
    Py_ssize_t count_size[8];
    for (Py_ssize_t k = 0; k < kinds; k++) {
        Py_ssize_t size = PyLong_AsSsize_t(PyList_GET_ITEM(sizes_obj, k));
        if (size < 0 && PyErr_Occurred()) goto done;
        PyObject *array = new_int64s(size < 0 ? 0 : size);
        if (array == NULL) goto done;
        PyList_SET_ITEM(counts, k, array);
        count_of[k] = int64s(array);
        count_size[k] = size < 0 ? 0 : size;
    }
    const int64_t *lengths = lengths_view.buf, *scopes = scopes_view.buf;
    Py_ssize_t windows = PyUnicode_GET_LENGTH(text) - ngram + 1;
    if (windows <= 0 || texts == 0) {
        result = Py_NewRef(counts);
        goto done;
    }
    if (texts > INT32_MAX || windows > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "too many texts or windows for one call");
        goto done;
    }
    /* Where each text's windows begin (text t holds windows [text_starts[t], text_starts[t +
     * 1])), where each scope's windows begin and its first text (a scope runs on while the
     * texts holding windows keep its value). Owners are found for repeated windows only. */
    text_starts = PyMem_Malloc((texts + 1) * sizeof(Py_ssize_t));
    starts = PyMem_Malloc((texts + 1) * sizeof(Py_ssize_t));
    first_texts = PyMem_Malloc((texts + 1) * sizeof(Py_ssize_t));
    if (text_starts == NULL || starts == NULL || first_texts == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t runs = 0, largest = 0, at = 0;
    int64_t last_scope = 0;
    for (Py_ssize_t t = 0; t < texts; t++) {
        Py_ssize_t length = lengths[t] > 0 ? lengths[t] : 0;
        Py_ssize_t end = length > windows - at ? windows : at + length;
        text_starts[t] = at;
        if (end > at && (runs == 0 || scopes[t] != last_scope)) {
            first_texts[runs] = t;
            starts[runs++] = at;
        }
        if (end > at) last_scope = scopes[t];
        at = end;
    }
    text_starts[texts] = windows;
    starts[runs] = windows;
    for (Py_ssize_t r = 0; r < runs; r++) {
        if (starts[r + 1] - starts[r] > largest) largest = starts[r + 1] - starts[r];
    }
    /* Emptied once; after each scope only the slots it used are emptied again (a scope's
     * table is a prefix of the largest one's), so a batch of small documents costs in
     * proportion to its windows, not to documents times the largest table. A slot holds a
     * content and its group; what is known of a group is kept in arrays by group, in the
     * order groups were met, so that they are compact and read in order. */
    size_t capacity = (size_t)1 << (64 - table_shift(largest));
    slots = PyMem_Malloc(capacity * sizeof(Slot));
    window_keys = PyMem_Malloc((largest + 1) * sizeof(uint64_t));
    candidates = PyMem_Malloc((largest + 1) * sizeof(int32_t));
    owners = PyMem_Malloc((largest + 1) * sizeof(int32_t));
    group_of = PyMem_Malloc((largest + 1) * sizeof(int32_t));
    groups = PyMem_Malloc((largest + 1) * sizeof(Group));
    seen = PyMem_Malloc(2 * seen_words(largest) * sizeof(uint64_t));
    masks = PyMem_Malloc((largest + 1) * (classed_kinds ? classed_kinds : 1) * sizeof(ClassMasks));
    if (slots == NULL || window_keys == NULL || candidates == NULL || owners == NULL ||
        group_of == NULL || groups == NULL || seen == NULL || masks == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    memset(slots, 0xFF, capacity * sizeof(Slot));
    memset(seen, 0, 2 * seen_words(largest) * sizeof(uint64_t));
    for (Py_ssize_t r = 0; r < runs; r++) { /* one scope at a time */
        Py_ssize_t low = starts[r], high = starts[r + 1];
        int shift = table_shift(high - low);
        window_keys_of(text_kind, text_data, low, high, ngram, window_keys);
        Py_ssize_t repeated = repeated_windows(window_keys, high - low, seen, candidates);
        for (Py_ssize_t c = 0, t = first_texts[r]; c < repeated; c++) { /* ascending */
            while (text_starts[t + 1] <= low + candidates[c]) t++;
            owners[c] = (int32_t)t;
        }
        int32_t met = 0;
        for (Py_ssize_t c = 0; c < repeated; c++) {
            Py_ssize_t i = low + candidates[c];
            uint64_t key = window_keys[i - low];
            if (c + 8 < repeated) { /* the table outgrows the L1 cache: fetch ahead */
                uint64_t ahead = window_keys[candidates[c + 8]];
                __builtin_prefetch(&slots[(ahead * 0x9E3779B97F4A7C15ull) >> shift]);
            }
            uint32_t at = slot_for(slots, shift, key);
            int32_t group = slots[at].group;
            if (group < 0) {
                group = slots[at].group = met++;
                slots[at].key = key;
                groups[group] = (Group){owners[c], owners[c], at};
                for (Py_ssize_t m = 0; m < classed_kinds; m++)
                    masks[group * classed_kinds + m] = (ClassMasks){0, 0, -1};
            }
            groups[group].last = owners[c];
            group_of[c] = group;
            ClassMasks *mask = &masks[group * classed_kinds];
            for (Py_ssize_t m = 0; m < classed_kinds; m++) { /* no branches: units recur unpredictably */
                int64_t unit = ((const int64_t *)unit_views[classed[m]].buf)[owners[c]];
                uint64_t bit = 1ull << ((const uint8_t *)class_views[classed[m]].buf)[unit];
                uint64_t other = unit != mask[m].last_unit ? bit : 0; /* a unit not yet met */
                mask[m].twice |= mask[m].held & other;
                mask[m].held |= bit;
                mask[m].last_unit = unit;
            }
        }
        for (Py_ssize_t c = 0; c < repeated; c++) {
            const Group *group = &groups[group_of[c]];
            if (group->first == group->last) continue; /* one text only: shared by no unit */
            int32_t owner = owners[c];
            for (Py_ssize_t k = 0; k < kinds; k++) {
                const int64_t *unit = unit_views[k].buf;
                int64_t own = unit[owner];
                if (unit[group->first] == unit[group->last] || own < 0 || own >= count_size[k])
                    continue;
                if (mask_of[k] >= 0) { /* only units of a near class count */
                    const ClassMasks *mask = &masks[group_of[c] * classed_kinds + mask_of[k]];
                    uint64_t bit = 1ull << ((const uint8_t *)class_views[k].buf)[own];
                    uint64_t near = ((const uint64_t *)near_views[k].buf)[own];
                    count_of[k][own] += ((mask->held & near & ~bit) | (mask->twice & bit)) != 0;
                } else {
                    count_of[k][own]++;
                }
            }
        }
        for (int32_t g = 0; g < met; g++) slots[groups[g].slot].group = -1;
    }
    result = Py_NewRef(counts);
done:
    PyMem_Free(slots);
    PyMem_Free(owners);
    PyMem_Free(group_of);
    PyMem_Free(groups);
    PyMem_Free(starts);
    PyMem_Free(text_starts);
    PyMem_Free(first_texts);
    PyMem_Free(window_keys);
    PyMem_Free(candidates);
    PyMem_Free(seen);
    PyMem_Free(masks);
    if (lengths_view.obj) PyBuffer_Release(&lengths_view);
    if (scopes_view.obj) PyBuffer_Release(&scopes_view);
    for (Py_ssize_t k = 0; k < got_units; k++) PyBuffer_Release(&unit_views[k]);
    for (Py_ssize_t m = 0; m < classed_kinds; m++) {
        PyBuffer_Release(&class_views[classed[m]]);
        PyBuffer_Release(&near_views[classed[m]]);
    }
    Py_XDECREF(counts);
    return result;
}

/* ---- opening_windows(text, starts, lengths, earlier, later, ngram, anywhere=False,
 *                      at_least=None)
 *      -> int64 per pair
 * For each pair of texts (text t is [starts[t], starts[t] + lengths[t]) of `text`): how many
 * of the earlier text's n-gram windows occur among the windows of the later text's opening,
 * its first as many characters as the earlier one has (all of the later text if `anywhere`).
 * Window keys as in shared_windows; a table stamped per pair, so it is never cleared between
 * pairs. With `at_least` (int64 per pair) only whether a count reaches it matters: a pair is
 * first counted against a bit filter of the later text's windows, an upper bound, and one
 * under `at_least` is returned as it is (most pairs: the exact count costs a probe that
 * mispredicts half the time, the filter none). */
static int spans_fit(const int64_t *starts, const int64_t *lengths, Py_ssize_t texts,
                     Py_ssize_t size) {
    for (Py_ssize_t t = 0; t < texts; t++) {
        if (starts[t] < 0 || lengths[t] < 0 || starts[t] > size - lengths[t]) return 0;
    }
    return 1;
}

static int pairs_fit(const int64_t *earlier, const int64_t *later, Py_ssize_t pairs,
                     Py_ssize_t texts) {
    for (Py_ssize_t p = 0; p < pairs; p++) {
        if (earlier[p] < 0 || earlier[p] >= texts || later[p] < 0 || later[p] >= texts) return 0;
    }
    return 1;
}

typedef struct {
    uint64_t *keys;
    uint32_t *stamps; /* a slot is full when its stamp is the current pair's */
    uint32_t stamp;
} StampedSet;

static void stamped_add(StampedSet *set, int shift, uint64_t mask, uint64_t key) {
    uint64_t at = (key * 0x9E3779B97F4A7C15ull) >> shift;
    while (set->stamps[at] == set->stamp && set->keys[at] != key) at = (at + 1) & mask;
    set->stamps[at] = set->stamp;
    set->keys[at] = key;
}

static int stamped_has(const StampedSet *set, int shift, uint64_t mask, uint64_t key) {
    uint64_t at = (key * 0x9E3779B97F4A7C15ull) >> shift;
    while (set->stamps[at] == set->stamp) {
        if (set->keys[at] == key) return 1;
        at = (at + 1) & mask;
    }
    return 0;
}

/* Bits of the filter for `windows` windows: 8 a window or more (a window of an unrelated
 * text finds its bit set one time in nine), at least 512. */
static int filter_shift(Py_ssize_t windows) {
    int shift = 55;
    while ((1ull << (64 - shift)) < 8 * (uint64_t)windows) shift--;
    return shift;
}

/* How many of `own` windows' keys find their bit set among `theirs` (an upper bound on how
 * many occur among them); `filter` (of filter_shift(theirs) bits) is left cleared. */
static int64_t filtered_count(const uint64_t *own, Py_ssize_t owns, const uint64_t *theirs,
                              Py_ssize_t count, uint64_t *filter) {
    int shift = filter_shift(count);
    for (Py_ssize_t w = 0; w < count; w++) {
        uint64_t bit = (theirs[w] * 0x9E3779B97F4A7C15ull) >> shift;
        filter[bit >> 6] |= 1ull << (bit & 63);
    }
    int64_t found = 0;
    for (Py_ssize_t w = 0; w < owns; w++) {
        uint64_t bit = (own[w] * 0x9E3779B97F4A7C15ull) >> shift;
        found += (filter[bit >> 6] >> (bit & 63)) & 1;
    }
    memset(filter, 0, ((size_t)1 << (64 - shift)) / 8);
    return found;
}

static PyObject *opening_windows(PyObject *self, PyObject *args) {
    PyObject *text, *starts_obj, *lengths_obj, *earlier_obj, *later_obj, *at_least_obj = Py_None;
    Py_ssize_t ngram;
    int anywhere = 0;
    if (!PyArg_ParseTuple(args, "UOOOOn|pO", &text, &starts_obj, &lengths_obj, &earlier_obj,
                          &later_obj, &ngram, &anywhere, &at_least_obj))
        return NULL;
    Py_buffer starts_view = {0}, lengths_view = {0}, earlier_view = {0}, later_view = {0};
    Py_buffer at_least_view = {0};
    PyObject *counts = NULL, *result = NULL;
    uint64_t *window_keys = NULL, *own_keys = NULL, *filter = NULL;
    StampedSet set = {NULL, NULL, 0};
    Py_ssize_t texts = PyObject_Length(starts_obj), pairs = PyObject_Length(earlier_obj);
    if (texts < 0 || pairs < 0) goto done;
    if (int64_buffer(starts_obj, &starts_view, texts, "starts") < 0 ||
        int64_buffer(lengths_obj, &lengths_view, texts, "lengths") < 0 ||
        int64_buffer(earlier_obj, &earlier_view, pairs, "earlier") < 0 ||
        int64_buffer(later_obj, &later_view, pairs, "later") < 0)
        goto done;
    if (at_least_obj != Py_None &&
        int64_buffer(at_least_obj, &at_least_view, pairs, "at_least") < 0)
        goto done;
    const int64_t *starts = starts_view.buf, *lengths = lengths_view.buf;
    const int64_t *earlier = earlier_view.buf, *later = later_view.buf;
    const int64_t *at_least = at_least_view.buf; /* NULL: every count exact */
    if (ngram < 1 || !spans_fit(starts, lengths, texts, PyUnicode_GET_LENGTH(text)) ||
        !pairs_fit(earlier, later, pairs, texts)) {
        PyErr_SetString(PyExc_ValueError, "ngram >= 1, spans within the text, pairs of texts");
        goto done;
    }
    if ((counts = new_int64s(pairs)) == NULL) goto done;
    Py_ssize_t longest = 0;
    for (Py_ssize_t p = 0; p < pairs; p++) {
        if (lengths[earlier[p]] > longest) longest = lengths[earlier[p]];
        if (anywhere && lengths[later[p]] > longest) longest = lengths[later[p]];
    }
    size_t capacity = (size_t)1 << (64 - table_shift(longest));
    window_keys = PyMem_Malloc((longest + 1) * sizeof(uint64_t));
    own_keys = PyMem_Malloc((longest + 1) * sizeof(uint64_t));
    filter = PyMem_Calloc(((size_t)1 << (64 - filter_shift(longest))) / 64, sizeof(uint64_t));
    set.keys = PyMem_Malloc(capacity * sizeof(uint64_t));
    set.stamps = PyMem_Calloc(capacity, sizeof(uint32_t));
    if (window_keys == NULL || own_keys == NULL || filter == NULL || set.keys == NULL ||
        set.stamps == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    int64_t *out = int64s(counts);
    for (Py_ssize_t p = 0; p < pairs; p++) {
        Py_ssize_t size = lengths[earlier[p]];
        Py_ssize_t opening = lengths[later[p]];
        if (!anywhere && opening > size) opening = size;
        Py_ssize_t own = size - ngram + 1, theirs = opening - ngram + 1;
        if (own <= 0 || theirs <= 0) continue;
        window_keys_of(kind, data, starts[later[p]], starts[later[p]] + theirs, ngram,
                       window_keys);
        window_keys_of(kind, data, starts[earlier[p]], starts[earlier[p]] + own, ngram,
                       own_keys);
        if (at_least != NULL) {
            int64_t bound = filtered_count(own_keys, own, window_keys, theirs, filter);
            if (bound < at_least[p]) {
                out[p] = bound;
                continue;
            }
        }
        if (++set.stamp == 0) { /* wrapped: every old stamp could read as current */
            memset(set.stamps, 0, capacity * sizeof(uint32_t));
            set.stamp = 1;
        }
        int shift = table_shift(theirs);
        uint64_t mask = ((uint64_t)1 << (64 - shift)) - 1;
        for (Py_ssize_t w = 0; w < theirs; w++) stamped_add(&set, shift, mask, window_keys[w]);
        int64_t found = 0;
        for (Py_ssize_t w = 0; w < own; w++) found += stamped_has(&set, shift, mask, own_keys[w]);
        out[p] = found;
    }
    result = Py_NewRef(counts);
done:
    PyMem_Free(window_keys);
    PyMem_Free(own_keys);
    PyMem_Free(filter);
    if (at_least_view.obj) PyBuffer_Release(&at_least_view);
    PyMem_Free(set.keys);
    PyMem_Free(set.stamps);
    if (starts_view.obj) PyBuffer_Release(&starts_view);
    if (lengths_view.obj) PyBuffer_Release(&lengths_view);
    if (earlier_view.obj) PyBuffer_Release(&earlier_view);
    if (later_view.obj) PyBuffer_Release(&later_view);
    Py_XDECREF(counts);
    return result;
}

/* ---- containing(text, lengths, sets) -> flags ----------------------------------------------
 * One byte per text (the texts joined by one character, `lengths` each one's), bit k set if
 * it contains any of set k's literals (non-empty str) or any character in one of its ranges
 * (inclusive (low, high) code point pairs); sets is a list of up to 8 (literals, ranges).
 * What one alternation regex a set would say, in one pass over the texts for all sets, at
 * one bitmap test a character: a bit per BMP character that opens a literal or lies in a
 * range of any set; only at those (and astral characters) is more work done. */
typedef struct {
    PyObject *literals; /* list of str */
    Py_UCS4 *firsts;    /* the literals' first characters, ascending */
    Py_ssize_t *order;  /* the literal each of `firsts` opens */
    Py_UCS4 *lows, *highs;
    Py_ssize_t range_count;
} TriggerSet;

typedef struct {
    const uint8_t *marked; /* BMP bitmap: opens a literal, or is in a range, of some set */
    /* Per BMP character: bit s, it opens a literal of set s; bit 8 + s, it is in a range of
     * set s. Common characters open literals (大 opens 大家都在看); only they are tried. */
    const uint16_t *sets_of;
    /* Bitmaps by `pair_slot` of the first two characters of every longer literal, and of the
     * characters that are a literal alone: most characters that open a literal (大, 回) are
     * not followed by the rest of one, and this tells so without looking. */
    const uint8_t *pairs, *alone;
    TriggerSet sets[8];
    Py_ssize_t set_count;
} Triggers;

static inline uint32_t pair_slot(Py_UCS4 first, Py_UCS4 second) {
    return (first * 40503u + second) & 0xFFFF;
}

static inline int bit_at(const uint8_t *bits, uint32_t at) { return (bits[at >> 3] >> (at & 7)) & 1; }

static int in_ranges(const TriggerSet *set, Py_UCS4 c) {
    for (Py_ssize_t r = 0; r < set->range_count; r++) {
        if (set->lows[r] <= c && c <= set->highs[r]) return 1;
    }
    return 0;
}

/* Whether text holds one of the set's literals at position i (whose character is c). */
static int literal_at(const TriggerSet *set, PyObject *text, Py_ssize_t size, Py_ssize_t i,
                      Py_UCS4 c) {
    Py_ssize_t low = 0, high = PyList_GET_SIZE(set->literals);
    while (low < high) { /* the first literal opening with c */
        Py_ssize_t middle = low + (high - low) / 2;
        if (set->firsts[middle] < c) low = middle + 1;
        else high = middle;
    }
    for (; low < PyList_GET_SIZE(set->literals) && set->firsts[low] == c; low++) {
        PyObject *literal = PyList_GET_ITEM(set->literals, set->order[low]);
        Py_ssize_t length = PyUnicode_GET_LENGTH(literal);
        if (i + length <= size && PyUnicode_Tailmatch(text, literal, i, i + length, -1) == 1)
            return 1;
    }
    return 0;
}

/* Whether text holds one of set s's triggers at position i (whose character is c). */
static int trigger_at(const Triggers *t, Py_ssize_t s, PyObject *text, Py_ssize_t size,
                      Py_ssize_t i, Py_UCS4 c) {
    const TriggerSet *set = &t->sets[s];
    if (c >= BMP) return in_ranges(set, c) || literal_at(set, text, size, i, c);
    uint16_t bits = t->sets_of[c];
    return ((bits >> (8 + s)) & 1) || (((bits >> s) & 1) && literal_at(set, text, size, i, c));
}

/* One loop per string kind, so that reading a character is one load. */
#define SCAN_KIND(TYPE)                                                                  \
    {                                                                                    \
        const TYPE *chars = (const TYPE *)PyUnicode_DATA(text);                          \
        for (Py_ssize_t i = start; i < size && found != all; i++) {                      \
            Py_UCS4 c = chars[i];                                                        \
            if (c < BMP && !(t->marked[c >> 3] & (1u << (c & 7)))) continue;             \
            if (c < BMP && (t->sets_of[c] >> 8) == 0 && !bit_at(t->alone, c) &&           \
                (i + 1 >= size || !bit_at(t->pairs, pair_slot(c, chars[i + 1]))))        \
                continue; /* opens literals, but not here */                             \
            uint8_t open = c < BMP ? (t->sets_of[c] | t->sets_of[c] >> 8) & ~found       \
                                   : all & ~found;                                       \
            for (Py_ssize_t s = 0; s < t->set_count; s++) {                              \
                if ((open >> s & 1) && trigger_at(t, s, text, size, i, c))               \
                    found |= (uint8_t)(1u << s);                                         \
            }                                                                            \
        }                                                                                \
        return found;                                                                    \
    }

/* The sets found in text[start:size]. */
static uint8_t triggers_in(const Triggers *t, PyObject *text, Py_ssize_t start, Py_ssize_t size) {
    uint8_t found = 0, all = (uint8_t)((1u << t->set_count) - 1);
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        SCAN_KIND(Py_UCS1)
    case PyUnicode_2BYTE_KIND:
        SCAN_KIND(Py_UCS2)
    default:
        SCAN_KIND(Py_UCS4)
    }
}
#undef SCAN_KIND

/* Set k of `sets` into t->sets[k], marking its characters; -1 with an exception if bad. */
static int read_set(PyObject *pair, TriggerSet *set, uint8_t *marked, uint16_t *sets_of,
                    uint8_t *pairs, uint8_t *alone, int s) {
    PyObject *literals, *ranges;
    if (!PyArg_ParseTuple(pair, "O!O!", &PyList_Type, &literals, &PyList_Type, &ranges)) return -1;
    set->literals = literals;
    set->range_count = PyList_GET_SIZE(ranges);
    Py_ssize_t kinds = PyList_GET_SIZE(literals);
    set->lows = PyMem_Malloc((set->range_count + 1) * sizeof(Py_UCS4));
    set->highs = PyMem_Malloc((set->range_count + 1) * sizeof(Py_UCS4));
    set->firsts = PyMem_Malloc((kinds + 1) * sizeof(Py_UCS4));
    set->order = PyMem_Malloc((kinds + 1) * sizeof(Py_ssize_t));
    if (set->lows == NULL || set->highs == NULL || set->firsts == NULL || set->order == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t r = 0; r < set->range_count; r++) {
        unsigned int low, high;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(ranges, r), "II", &low, &high)) return -1;
        set->lows[r] = low;
        set->highs[r] = high;
        for (Py_UCS4 c = low; c <= high && c < BMP; c++) {
            marked[c >> 3] |= (uint8_t)(1u << (c & 7));
            sets_of[c] |= (uint16_t)(1u << (8 + s));
        }
    }
    for (Py_ssize_t k = 0; k < kinds; k++) {
        PyObject *literal = PyList_GET_ITEM(literals, k);
        if (!PyUnicode_Check(literal) || PyUnicode_GET_LENGTH(literal) == 0 ||
            PyUnicode_READ_CHAR(literal, 0) >= BMP) {
            PyErr_SetString(PyExc_ValueError, "literals: non-empty str opening in the BMP");
            return -1;
        }
        Py_UCS4 c = PyUnicode_READ_CHAR(literal, 0);
        marked[c >> 3] |= (uint8_t)(1u << (c & 7));
        if (PyUnicode_GET_LENGTH(literal) == 1) {
            alone[c >> 3] |= (uint8_t)(1u << (c & 7));
        } else {
            uint32_t slot = pair_slot(c, PyUnicode_READ_CHAR(literal, 1));
            pairs[slot >> 3] |= (uint8_t)(1u << (slot & 7));
        }
        sets_of[c] |= (uint16_t)(1u << s);
        Py_ssize_t at = k; /* insertion sort by first character: a few dozen literals */
        for (; at > 0 && set->firsts[at - 1] > c; at--) {
            set->firsts[at] = set->firsts[at - 1];
            set->order[at] = set->order[at - 1];
        }
        set->firsts[at] = c;
        set->order[at] = k;
    }
    return 0;
}

static PyObject *containing(PyObject *self, PyObject *args) {
    PyObject *text, *lengths, *sets;
    Py_buffer lengths_view;
    Py_ssize_t count;
    if (!PyArg_ParseTuple(args, "UOO!", &text, &lengths, &PyList_Type, &sets)) return NULL;
    if (joined_lengths(text, lengths, &lengths_view, &count) < 0) return NULL;
    Triggers triggers = {NULL, NULL, NULL, NULL, {{0}}, 0};
    uint8_t *marked = PyMem_Calloc(BMP / 8, 1), *pairs = PyMem_Calloc(BMP / 8, 1);
    uint8_t *alone = PyMem_Calloc(BMP / 8, 1);
    uint16_t *sets_of = PyMem_Calloc(BMP, sizeof(uint16_t));
    PyObject *flags = NULL, *result = NULL;
    if (marked == NULL || sets_of == NULL || pairs == NULL || alone == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    triggers.marked = marked;
    triggers.sets_of = sets_of;
    triggers.pairs = pairs;
    triggers.alone = alone;
    if (PyList_GET_SIZE(sets) > 8) {
        PyErr_SetString(PyExc_ValueError, "at most 8 sets");
        goto done;
    }
    for (; triggers.set_count < PyList_GET_SIZE(sets); triggers.set_count++) {
        TriggerSet *set = &triggers.sets[triggers.set_count];
        if (read_set(PyList_GET_ITEM(sets, triggers.set_count), set, marked, sets_of, pairs,
                     alone, (int)triggers.set_count) < 0) {
            triggers.set_count++; /* so that its arrays are freed */
            goto done;
        }
    }
    if ((flags = PyByteArray_FromStringAndSize(NULL, count)) == NULL) goto done;
    uint8_t *found = (uint8_t *)PyByteArray_AS_STRING(flags);
    const int64_t *length = lengths_view.buf;
    for (Py_ssize_t t = 0, start = 0; t < count; start += length[t++] + 1) {
        found[t] = triggers.set_count ? triggers_in(&triggers, text, start, start + length[t]) : 0;
    }
    result = Py_NewRef(flags);
done:
    for (Py_ssize_t s = 0; s < triggers.set_count; s++) {
        PyMem_Free(triggers.sets[s].lows);
        PyMem_Free(triggers.sets[s].highs);
        PyMem_Free(triggers.sets[s].firsts);
        PyMem_Free(triggers.sets[s].order);
    }
    PyBuffer_Release(&lengths_view);
    PyMem_Free(marked);
    PyMem_Free(pairs);
    PyMem_Free(alone);
    PyMem_Free(sets_of);
    Py_XDECREF(flags);
    return result;
}

/* ---- vectors(texts, sizes, vocabulary) -> per document ------------------------------------
 * TF-IDF vectors of each document's paragraphs over Han bigrams, as qc.vocabulary's
 * ParagraphVectors builds them: columns are the document's distinct bigrams in order of
 * (first, second) code point; a (paragraph, column) cell's weight is the bigram's count in
 * the paragraph times its idf (`vocabulary`: see vocabulary_of). Per document: (rows, columns, weights, vocabulary size), the cells in (row,
 * column) order. One radix sort and one counting sort a document instead of numpy's two
 * uniques over the batch. */

/* Sort `a` (n values) stably by bits 32..63, a byte a pass (least significant first),
 * skipping bytes where all values agree; the counts of every byte come from one read of `a`.
 * The low 32 bits ride along: values that already ascend in them stay in that order. */
static void radix_sort_high(uint64_t *a, uint64_t *scratch, size_t n) {
    size_t counts[4][256];
    if (n < 2) return;
    memset(counts, 0, sizeof counts);
    for (size_t i = 0; i < n; i++) {
        uint64_t value = a[i] >> 32;
        for (int byte = 0; byte < 4; byte++) counts[byte][(value >> (8 * byte)) & 0xFF]++;
    }
    uint64_t *from = a, *to = scratch;
    for (int byte = 0; byte < 4; byte++) {
        size_t *count = counts[byte];
        int shift = 32 + 8 * byte;
        if (count[(from[0] >> shift) & 0xFF] == n) continue; /* one value of this byte */
        size_t at = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = at;
            at += c;
        }
        for (size_t i = 0; i < n; i++) to[count[(from[i] >> shift) & 0xFF]++] = from[i];
        uint64_t *swap = from;
        from = to;
        to = swap;
    }
    if (from != a) memcpy(a, from, n * sizeof(uint64_t));
}

/* The known bigrams by their cell of qc.vocabulary's bit matrix (`_DenseIndex`): a bigram's
 * cell is rank(first) * width + rank(second), a known one's idf is found by counting the
 * known cells before it. No search and no branch: a look-up is a few loads that do not wait
 * on one another's outcome, where a hash table's probe loop ended unpredictably (known or
 * not, after one probe or two) and each mispredicted end held up the next look-up. */
typedef struct {
    Py_buffer ranks_view, words_view, before_view, index_view, idfs_view;
    const int32_t *ranks;   /* per Han character: its row and column, < width */
    uint64_t width;
    const uint64_t *words;  /* the matrix, 64 cells a word */
    const uint32_t *before; /* per word: the known cells before it */
    const uint32_t *index;  /* per known cell in cell order, then a spare: an index in idfs */
    const double *idfs;     /* the spare's is the idf of bigrams that are not known */
    uint64_t spare;         /* the spare's place in index: the number of known cells */
} Vocabulary;

static void release_vocabulary(Vocabulary *v) {
    Py_buffer *views[] = {&v->ranks_view, &v->words_view, &v->before_view, &v->index_view,
                          &v->idfs_view};
    for (size_t k = 0; k < sizeof views / sizeof views[0]; k++) {
        if (views[k]->obj != NULL) PyBuffer_Release(views[k]);
    }
}

/* The idf of a Han bigram (first << 16 | second, both Han). Rank 0 (a character in no
 * known bigram) has a clear row and column. A bigram that is not known reads the spare,
 * whose idf is the unknown one: chosen with a mask, as a branch on it would mispredict. */
static inline double idf_of(const Vocabulary *v, uint32_t bigram) {
    uint64_t cell = (uint64_t)v->ranks[(bigram >> 16) - HAN_FIRST] * v->width +
                    (uint64_t)v->ranks[(bigram & 0xFFFF) - HAN_FIRST];
    uint64_t word = v->words[cell >> 6], bit = cell & 63;
    uint64_t at = v->before[cell >> 6] + (uint64_t)__builtin_popcountll(word & ((1ull << bit) - 1));
    uint64_t known = -((word >> bit) & 1);
    at = (at & known) | (v->spare & ~known);
    return v->idfs[v->index[at < v->spare ? at : v->spare]];
}

/* `idf_of` each of `count` bigrams into `out` (compiled for AVX2 too, for its popcount). */
VECTOR_CLONES
static void idfs_of(const Vocabulary *v, const uint32_t *bigrams, Py_ssize_t count,
                    double *out) {
    for (Py_ssize_t i = 0; i < count; i++) out[i] = idf_of(v, bigrams[i]);
}

/* qc.vocabulary.native_vocabulary: (ranks, width, words, before, index, idfs), read and
 * checked into `v` (release_vocabulary frees it, even after a
 * failure); -1 with an exception. */
static int vocabulary_of(PyObject *tuple, Vocabulary *v) {
    memset(v, 0, sizeof *v);
    Py_ssize_t width;
    if (!PyArg_ParseTuple(tuple, "y*ny*y*y*y*;vocabulary: (ranks, width, words, before, "
                                 "index, idfs)",
                          &v->ranks_view, &width, &v->words_view, &v->before_view,
                          &v->index_view, &v->idfs_view))
        return -1;
    Py_ssize_t words = v->words_view.len / (Py_ssize_t)sizeof(uint64_t);
    Py_ssize_t indices = v->index_view.len / (Py_ssize_t)sizeof(uint32_t);
    Py_ssize_t idfs = v->idfs_view.len / (Py_ssize_t)sizeof(double);
    v->ranks = v->ranks_view.buf;
    v->words = v->words_view.buf;
    v->before = v->before_view.buf;
    v->index = v->index_view.buf;
    v->idfs = v->idfs_view.buf;
    v->width = (uint64_t)width;
    v->spare = (uint64_t)(indices - 1);
    int bad = v->ranks_view.len != (HAN_LAST - HAN_FIRST + 1) * (Py_ssize_t)sizeof(int32_t) ||
              width < 1 || width > 0xFFFF || v->words_view.len % sizeof(uint64_t) != 0 ||
              (uint64_t)width * (uint64_t)width > 64 * (uint64_t)words ||
              v->before_view.len != words * (Py_ssize_t)sizeof(uint32_t) ||
              v->index_view.len % sizeof(uint32_t) != 0 || indices < 1 ||
              v->idfs_view.len % sizeof(double) != 0;
    for (Py_ssize_t c = 0; !bad && c <= HAN_LAST - HAN_FIRST; c++)
        bad = v->ranks[c] < 0 || v->ranks[c] >= width;
    for (Py_ssize_t k = 0; !bad && k < indices; k++) bad = v->index[k] >= idfs;
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "vocabulary: int32 rank < width per Han character, "
                                          "a width x width bit matrix in uint64 words, a "
                                          "uint32 count per word, uint32 indices (one spare) "
                                          "into the float64 idfs");
        return -1;
    }
    return 0;
}

/* Every Han bigram of the texts as (bigram << 32 | pair number), and each pair's row. */
static Py_ssize_t collect_pairs(PyObject *texts, Py_ssize_t first, Py_ssize_t count,
                                uint64_t *keys, uint32_t *rows) {
    Py_ssize_t pairs = 0;
    for (Py_ssize_t r = 0; r < count; r++) {
        PyObject *text = PyList_GET_ITEM(texts, first + r);
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        Py_ssize_t size = PyUnicode_GET_LENGTH(text);
        Py_UCS4 previous = size > 0 ? PyUnicode_READ(kind, data, 0) : 0;
        for (Py_ssize_t i = 1; i < size; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (previous - HAN_FIRST <= HAN_LAST - HAN_FIRST && c - HAN_FIRST <= HAN_LAST - HAN_FIRST) {
                keys[pairs] = ((uint64_t)previous << 48) | ((uint64_t)c << 32) | (uint64_t)pairs;
                rows[pairs++] = (uint32_t)r;
            }
            previous = c;
        }
    }
    return pairs;
}

/* Pairs sorted by (bigram, pair number) are sorted by (column, row): runs of one (column,
 * row) are a cell. A stable counting sort by row then gives the cells in (row, column)
 * order. `scratch` and `column_of` (room for `pairs` each) hold the cells meanwhile. */
static PyObject *document_vectors(PyObject *texts, Py_ssize_t first, Py_ssize_t count,
                                  const Vocabulary *v, uint64_t *keys, uint64_t *scratch,
                                  uint32_t *rows, uint32_t *column_of) {
    Py_ssize_t pairs = collect_pairs(texts, first, count, keys, rows);
    radix_sort_high(keys, scratch, (size_t)pairs);
    /* Cells in (column, row) order: scratch holds row << 32 | column, column_of the count. */
    Py_ssize_t columns = 0, cells = 0;
    double *column_idf = PyMem_Malloc((pairs + 1) * sizeof(double));
    uint32_t *column_bigram = PyMem_Malloc((pairs + 1) * sizeof(uint32_t));
    Py_ssize_t *row_start = PyMem_Calloc(count + 1, sizeof(Py_ssize_t));
    PyObject *row_out = NULL, *column_out = NULL, *weight_out = NULL, *result = NULL;
    if (column_idf == NULL || column_bigram == NULL || row_start == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    uint64_t previous_bigram = 0;
    for (Py_ssize_t i = 0; i < pairs; i++) {
        uint64_t bigram = keys[i] >> 32;
        uint64_t row = rows[keys[i] & 0xFFFFFFFF];
        if (i == 0 || bigram != previous_bigram) {
            column_bigram[columns++] = (uint32_t)bigram;
            previous_bigram = bigram;
        } else if ((scratch[cells - 1] >> 32) == row) {
            column_of[cells - 1]++;
            continue;
        }
        scratch[cells] = (row << 32) | (uint64_t)(columns - 1);
        column_of[cells++] = 1;
        row_start[row + 1]++;
    }
    idfs_of(v, column_bigram, columns, column_idf);
    for (Py_ssize_t r = 0; r < count; r++) row_start[r + 1] += row_start[r];
    row_out = new_int64s(cells);
    column_out = new_int64s(cells);
    weight_out = PyByteArray_FromStringAndSize(NULL, cells * (Py_ssize_t)sizeof(double));
    if (row_out == NULL || column_out == NULL || weight_out == NULL) goto done;
    int64_t *row = int64s(row_out), *column = int64s(column_out);
    double *weight = (double *)PyByteArray_AS_STRING(weight_out);
    for (Py_ssize_t c = 0; c < cells; c++) { /* stable: columns stay ascending in a row */
        Py_ssize_t at = row_start[scratch[c] >> 32]++;
        row[at] = (int64_t)(scratch[c] >> 32);
        column[at] = (int64_t)(scratch[c] & 0xFFFFFFFF);
        weight[at] = (double)column_of[c] * column_idf[column[at]];
    }
    result = Py_BuildValue("(OOOn)", row_out, column_out, weight_out, columns);
done:
    PyMem_Free(column_idf);
    PyMem_Free(column_bigram);
    PyMem_Free(row_start);
    Py_XDECREF(row_out);
    Py_XDECREF(column_out);
    Py_XDECREF(weight_out);
    return result;
}

/* Checks that `sizes` (one int per document, >= 0) add up to `texts` (all str), and finds
 * the most characters a document has; -1 with an exception when they do not. */
static int longest_document(PyObject *texts, PyObject *sizes, Py_ssize_t *longest) {
    Py_ssize_t count = PyList_GET_SIZE(texts), total = 0;
    *longest = 0;
    for (Py_ssize_t d = 0; d < PyList_GET_SIZE(sizes); d++) {
        Py_ssize_t size = PyLong_AsSsize_t(PyList_GET_ITEM(sizes, d));
        if (size < 0) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "sizes must be >= 0");
            return -1;
        }
        Py_ssize_t chars = 0;
        for (Py_ssize_t r = total; r < total + size && r < count; r++) {
            PyObject *text = PyList_GET_ITEM(texts, r);
            if (!PyUnicode_Check(text)) {
                PyErr_SetString(PyExc_TypeError, "texts must be str");
                return -1;
            }
            chars += PyUnicode_GET_LENGTH(text);
        }
        if (chars > *longest) *longest = chars;
        total += size;
    }
    if (total != count || *longest >= UINT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "sizes must add up to the texts (and be < 2^31)");
        return -1;
    }
    return 0;
}

static PyObject *vectors(PyObject *self, PyObject *args) {
    PyObject *texts, *sizes, *vocabulary;
    if (!PyArg_ParseTuple(args, "O!O!O!", &PyList_Type, &texts, &PyList_Type, &sizes,
                          &PyTuple_Type, &vocabulary))
        return NULL;
    PyObject *out = NULL;
    uint64_t *keys = NULL, *scratch = NULL;
    uint32_t *rows = NULL, *column_of = NULL;
    Py_ssize_t documents = PyList_GET_SIZE(sizes), longest = 0;
    Vocabulary v;
    if (vocabulary_of(vocabulary, &v) < 0) goto done;
    if (longest_document(texts, sizes, &longest) < 0) goto done;
    keys = PyMem_Malloc((longest + 1) * sizeof(uint64_t));
    scratch = PyMem_Malloc((longest + 1) * sizeof(uint64_t));
    rows = PyMem_Malloc((longest + 1) * sizeof(uint32_t));
    column_of = PyMem_Malloc((longest + 1) * sizeof(uint32_t));
    if (keys == NULL || scratch == NULL || rows == NULL || column_of == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if ((out = PyList_New(documents)) == NULL) goto done;
    for (Py_ssize_t d = 0, first = 0; d < documents; d++) {
        Py_ssize_t size = PyLong_AsSsize_t(PyList_GET_ITEM(sizes, d));
        PyObject *one = document_vectors(texts, first, size, &v, keys, scratch, rows, column_of);
        if (one == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, d, one);
        first += size;
    }
done:
    PyMem_Free(keys);
    PyMem_Free(scratch);
    PyMem_Free(rows);
    PyMem_Free(column_of);
    release_vocabulary(&v);
    return out;
}

/* ---- topic(rows, columns, weights, paragraphs, vocabulary, outside) -----------------------
 *      -> (cosines, document, document2)
 * qc.vocabulary.ParagraphVectors.topic on a document's TF-IDF cells (int64 rows, int64
 * columns, float64 weights): each paragraph's cosine to the article (the paragraphs not
 * `outside`, one byte each) without itself, the whole document's vector (float64 per column)
 * and its squared norm. Sums by column or by row run in cell order, as np.bincount sums;
 * dot products run over columns 0..vocabulary-1 in order, as np.add.accumulate does. */
typedef struct {
    Py_buffer rows, columns, weights;
    Py_ssize_t cells;
} Cells;

static void release_cells(Cells *cells) {
    PyBuffer_Release(&cells->rows);
    PyBuffer_Release(&cells->columns);
    PyBuffer_Release(&cells->weights);
}

/* The three buffers, of one length each. Values are checked where they are read. */
static int cells_of(PyObject *rows, PyObject *columns, PyObject *weights, Cells *out) {
    memset(out, 0, sizeof *out);
    if (PyObject_GetBuffer(rows, &out->rows, PyBUF_C_CONTIGUOUS) < 0) return -1;
    out->cells = out->rows.len / (Py_ssize_t)sizeof(int64_t);
    if (PyObject_GetBuffer(columns, &out->columns, PyBUF_C_CONTIGUOUS) < 0 ||
        PyObject_GetBuffer(weights, &out->weights, PyBUF_C_CONTIGUOUS) < 0) {
        release_cells(out);
        return -1;
    }
    if (out->rows.len % sizeof(int64_t) != 0 ||
        out->columns.len != out->cells * (Py_ssize_t)sizeof(int64_t) ||
        out->weights.len != out->cells * (Py_ssize_t)sizeof(double)) {
        PyErr_SetString(PyExc_ValueError, "rows, columns (int64) and weights (float64) must "
                                          "have one value per cell each");
        release_cells(out);
        return -1;
    }
    return 0;
}

static int bad_cell(int64_t row, Py_ssize_t paragraphs, int64_t column, Py_ssize_t vocabulary) {
    if (row >= 0 && row < paragraphs && column >= 0 && column < vocabulary) return 0;
    PyErr_SetString(PyExc_ValueError, "a cell's row or column is out of range");
    return 1;
}

/* Products that are zero are skipped: adding a zero leaves a sum as it is (up to the sign of
 * a zero sum), and a block's vector is mostly zeros. */
static double sequential_dot(const double *a, const double *b, Py_ssize_t n) {
    double sum = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double product = a[i] * b[i];
        if (product != 0.0) sum += product;
    }
    return sum;
}

/* qc.vocabulary.cosine_to_rest, operation for operation. */
static double cosine_to_rest(double shared, double part2, double whole2, int part_in_whole) {
    double rest2 = whole2;
    if (part_in_whole) {
        rest2 = whole2 - 2 * shared + part2;
        shared -= part2;
    }
    double product = part2 * rest2;
    if (part2 <= 0 || rest2 <= 1e-9 || product <= 0) return 0.0;
    return (shared > 0.0 ? shared : 0.0) / sqrt(product);
}

static PyObject *topic(PyObject *self, PyObject *args) {
    PyObject *rows_in, *columns_in, *weights_in;
    Py_ssize_t paragraphs, vocabulary;
    Py_buffer outside;
    if (!PyArg_ParseTuple(args, "OOOnny*", &rows_in, &columns_in, &weights_in, &paragraphs,
                          &vocabulary, &outside))
        return NULL;
    Cells cells;
    if (cells_of(rows_in, columns_in, weights_in, &cells) < 0) {
        PyBuffer_Release(&outside);
        return NULL;
    }
    PyObject *cosines_out = NULL, *document_out = NULL, *result = NULL;
    double *article = NULL, *norms2 = NULL;
    if (paragraphs < 0 || vocabulary < 0 || outside.len != paragraphs) {
        PyErr_SetString(PyExc_ValueError, "outside: one byte per paragraph");
        goto done;
    }
    const int64_t *row = cells.rows.buf, *column = cells.columns.buf;
    const double *weight = cells.weights.buf;
    const uint8_t *seed = outside.buf;
    cosines_out = PyByteArray_FromStringAndSize(NULL, paragraphs * (Py_ssize_t)sizeof(double));
    document_out = PyByteArray_FromStringAndSize(NULL, vocabulary * (Py_ssize_t)sizeof(double));
    article = PyMem_Calloc(vocabulary + 1, sizeof(double));
    norms2 = PyMem_Calloc(paragraphs + 1, sizeof(double));
    if (cosines_out == NULL || document_out == NULL || article == NULL || norms2 == NULL) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        goto done;
    }
    double *cosines = (double *)PyByteArray_AS_STRING(cosines_out);
    double *document = (double *)PyByteArray_AS_STRING(document_out);
    memset(cosines, 0, paragraphs * sizeof(double));
    memset(document, 0, vocabulary * sizeof(double));
    /* A row's sum is kept in a register while its cells run on (they come in runs of a row):
     * the same additions in the same order as a sum in memory, without waiting on a store
     * each cell. */
    double sum = 0.0;
    for (Py_ssize_t c = 0; c < cells.cells; c++) {
        if (bad_cell(row[c], paragraphs, column[c], vocabulary)) goto done;
        if (c > 0 && row[c] != row[c - 1]) {
            norms2[row[c - 1]] = sum;
            sum = norms2[row[c]];
        }
        document[column[c]] += weight[c];
        sum += weight[c] * weight[c];
        if (!seed[row[c]]) article[column[c]] += weight[c];
    }
    if (cells.cells > 0) norms2[row[cells.cells - 1]] = sum;
    /* cosines first hold each paragraph's dot product with the article */
    sum = 0.0;
    for (Py_ssize_t c = 0; c < cells.cells; c++) {
        if (c > 0 && row[c] != row[c - 1]) {
            cosines[row[c - 1]] = sum;
            sum = cosines[row[c]];
        }
        double product = weight[c] * article[column[c]];
        sum += product;
    }
    if (cells.cells > 0) cosines[row[cells.cells - 1]] = sum;
    double article2 = sequential_dot(article, article, vocabulary);
    for (Py_ssize_t r = 0; r < paragraphs; r++) {
        cosines[r] = cosine_to_rest(cosines[r], norms2[r], article2, !seed[r]);
    }
    result = Py_BuildValue("(OOd)", cosines_out, document_out,
                           sequential_dot(document, document, vocabulary));
done:
    PyMem_Free(article);
    PyMem_Free(norms2);
    Py_XDECREF(cosines_out);
    Py_XDECREF(document_out);
    release_cells(&cells);
    PyBuffer_Release(&outside);
    return result;
}

/* ---- block_cosine(rows, columns, weights, first, last, document, document2) -> float ------
 * qc.vocabulary.Topic.block_to_rest: the cosine of paragraphs first..last (their cells are
 * one run, rows ascending) to the rest of the document, given its vector and squared norm. */
static Py_ssize_t first_cell_of(const int64_t *row, Py_ssize_t cells, int64_t wanted) {
    Py_ssize_t low = 0, high = cells; /* the first cell whose row is >= wanted */
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        if (row[middle] < wanted) low = middle + 1;
        else high = middle;
    }
    return low;
}

static PyObject *block_cosine(PyObject *self, PyObject *args) {
    PyObject *rows_in, *columns_in, *weights_in;
    Py_ssize_t first, last;
    Py_buffer document_view;
    double document2;
    if (!PyArg_ParseTuple(args, "OOOnny*d", &rows_in, &columns_in, &weights_in, &first, &last,
                          &document_view, &document2))
        return NULL;
    Cells cells;
    if (cells_of(rows_in, columns_in, weights_in, &cells) < 0) {
        PyBuffer_Release(&document_view);
        return NULL;
    }
    PyObject *result = NULL;
    Py_ssize_t vocabulary = document_view.len / (Py_ssize_t)sizeof(double);
    double *block = NULL;
    if (document_view.len % sizeof(double) != 0) {
        PyErr_SetString(PyExc_ValueError, "document: float64 per column");
        goto done;
    }
    if ((block = PyMem_Calloc(vocabulary + 1, sizeof(double))) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    const int64_t *row = cells.rows.buf, *column = cells.columns.buf;
    const double *weight = cells.weights.buf, *document = document_view.buf;
    Py_ssize_t low = first_cell_of(row, cells.cells, first);
    Py_ssize_t high = first_cell_of(row, cells.cells, last + 1);
    for (Py_ssize_t c = low; c < high; c++) {
        if (bad_cell(0, 1, column[c], vocabulary)) goto done;
        block[column[c]] += weight[c];
    }
    double shared = sequential_dot(block, document, vocabulary);
    double block2 = sequential_dot(block, block, vocabulary);
    result = PyFloat_FromDouble(cosine_to_rest(shared, block2, document2, 1));
done:
    PyMem_Free(block);
    release_cells(&cells);
    PyBuffer_Release(&document_view);
    return result;
}

/* ---- rest_cosine_floors(texts, sizes, spans, span_counts, vocabulary) ---------------------
 *      -> float64 per span
 * qc.vocabulary.rest_cosine_floors: for each document (`sizes[d]` paragraphs of `texts`) and
 * each of its `span_counts[d]` spans (int64 first, last paragraph pairs in `spans`), the
 * span's cosine to the rest of the document lowered by qc.vocabulary.rounding_bound. From
 * the document's bigram counts (a hash table, no sort) and the span's: no cells. */
typedef struct {
    uint64_t *pairs;    /* per pair: (first << 16 | second) << 32 | its number */
    uint32_t *row;      /* per pair: its paragraph */
    uint32_t *entry;    /* per pair: its distinct bigram */
    uint32_t *distinct, *count, *span_count, *stamp, *touched;
    double *idf;
    uint64_t *slots;    /* open addressing: bigram << 32 | distinct number + 1, 0 when free */
} RestScratch;

/* Each pair's distinct bigram, and every distinct bigram's count and idf; returns how many
 * distinct bigrams there are. `bits`: log2 of the slots used (at least twice the pairs). */
static Py_ssize_t count_bigrams(RestScratch *s, Py_ssize_t pairs, int bits,
                                const Vocabulary *v) {
    Py_ssize_t distinct = 0;
    size_t mask = ((size_t)1 << bits) - 1;
    memset(s->slots, 0, ((size_t)1 << bits) * sizeof(uint64_t));
    for (Py_ssize_t i = 0; i < pairs; i++) {
        uint32_t bigram = (uint32_t)(s->pairs[i] >> 32);
        size_t at = (size_t)(((uint64_t)bigram * 0x9E3779B97F4A7C15ull) >> (64 - bits));
        uint64_t slot = s->slots[at];
        while (slot != 0 && (uint32_t)(slot >> 32) != bigram) {
            at = (at + 1) & mask;
            slot = s->slots[at];
        }
        if (slot == 0) {
            s->distinct[distinct] = bigram;
            s->count[distinct] = 0;
            s->stamp[distinct] = 0;
            slot = ((uint64_t)bigram << 32) | (uint64_t)++distinct;
            s->slots[at] = slot;
        }
        uint32_t entry = (uint32_t)slot - 1;
        s->entry[i] = entry;
        s->count[entry]++;
    }
    idfs_of(v, s->distinct, distinct, s->idf);
    return distinct;
}

/* The floors of one document's spans (`spans`: first, last paragraph, two int64 each). */
static int document_floors(PyObject *texts, Py_ssize_t first, Py_ssize_t count,
                           const int64_t *spans, Py_ssize_t span_count, const Vocabulary *v,
                           RestScratch *s, double *out) {
    Py_ssize_t pairs = collect_pairs(texts, first, count, s->pairs, s->row);
    int bits = 1;
    while (((Py_ssize_t)1 << bits) < 2 * pairs) bits++;
    Py_ssize_t distinct = count_bigrams(s, pairs, bits, v);
    double whole2 = 0.0;
    for (Py_ssize_t k = 0; k < distinct; k++) {
        double weight = (double)s->count[k] * s->idf[k];
        whole2 += weight * weight;
    }
    for (Py_ssize_t j = 0; j < span_count; j++) {
        int64_t low_row = spans[2 * j], high_row = spans[2 * j + 1];
        if (low_row < 0 || high_row < low_row || high_row >= count) {
            PyErr_SetString(PyExc_ValueError,
                            "a span must be first <= last paragraph of its document");
            return -1;
        }
        /* pairs come in row order: the span's are one run */
        Py_ssize_t low = 0, high = pairs;
        while (low < high) {
            Py_ssize_t middle = low + (high - low) / 2;
            if (s->row[middle] < low_row) low = middle + 1;
            else high = middle;
        }
        Py_ssize_t touched = 0;
        uint32_t stamp = (uint32_t)j + 1;
        for (high = low; high < pairs && s->row[high] <= high_row; high++) {
            uint32_t k = s->entry[high];
            if (s->stamp[k] != stamp) {
                s->stamp[k] = stamp;
                s->span_count[k] = 0;
                s->touched[touched++] = k;
            }
            s->span_count[k]++;
        }
        double shared = 0.0, part2 = 0.0;
        for (Py_ssize_t t = 0; t < touched; t++) {
            uint32_t k = s->touched[t];
            double part = (double)s->span_count[k] * s->idf[k];
            shared += part * ((double)s->count[k] * s->idf[k]);
            part2 += part * part;
        }
        double rest2 = whole2 - 2 * shared + part2;
        double bound = rest2 <= 0.0
                           ? INFINITY
                           : 64.0 * (double)(pairs + 3) * 0x1p-53 * (1.0 + whole2 / rest2);
        out[j] = cosine_to_rest(shared, part2, whole2, 1) - bound;
    }
    return 0;
}

static PyObject *rest_cosine_floors(PyObject *self, PyObject *args) {
    PyObject *texts, *sizes, *span_counts, *vocabulary;
    Py_buffer spans_view;
    if (!PyArg_ParseTuple(args, "O!O!y*O!O!", &PyList_Type, &texts, &PyList_Type, &sizes,
                          &spans_view, &PyList_Type, &span_counts, &PyTuple_Type, &vocabulary))
        return NULL;
    PyObject *out = NULL;
    RestScratch s = {NULL};
    Py_ssize_t documents = PyList_GET_SIZE(sizes);
    Py_ssize_t total_spans = 0, longest = 0;
    Vocabulary v;
    if (vocabulary_of(vocabulary, &v) < 0) goto done;
    if (PyList_GET_SIZE(span_counts) != documents) {
        PyErr_SetString(PyExc_ValueError, "span_counts: one per document");
        goto done;
    }
    if (longest_document(texts, sizes, &longest) < 0) goto done;
    for (Py_ssize_t d = 0; d < documents; d++) {
        Py_ssize_t spans = PyLong_AsSsize_t(PyList_GET_ITEM(span_counts, d));
        if (spans < 0) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "span counts must be >= 0");
            goto done;
        }
        total_spans += spans;
    }
    if (spans_view.len != 2 * total_spans * (Py_ssize_t)sizeof(int64_t)) {
        PyErr_SetString(PyExc_ValueError, "spans: two int64 per span");
        goto done;
    }
    size_t room = (size_t)longest + 1, slots = 2;
    while (slots < 2 * room) slots *= 2;
    uint32_t **arrays[] = {&s.row, &s.entry, &s.distinct, &s.count, &s.span_count, &s.stamp,
                           &s.touched};
    for (size_t a = 0; a < sizeof arrays / sizeof arrays[0]; a++) {
        if ((*arrays[a] = PyMem_Malloc(room * sizeof(uint32_t))) == NULL) goto no_memory;
    }
    if ((s.pairs = PyMem_Malloc(room * sizeof(uint64_t))) == NULL) goto no_memory;
    if ((s.idf = PyMem_Malloc(room * sizeof(double))) == NULL) goto no_memory;
    if ((s.slots = PyMem_Malloc(slots * sizeof(uint64_t))) == NULL) goto no_memory;
    out = PyByteArray_FromStringAndSize(NULL, total_spans * (Py_ssize_t)sizeof(double));
    if (out == NULL) goto done;
    const int64_t *spans = spans_view.buf;
    double *floors = (double *)PyByteArray_AS_STRING(out);
    for (Py_ssize_t d = 0, first = 0; d < documents; d++) {
        Py_ssize_t size = PyLong_AsSsize_t(PyList_GET_ITEM(sizes, d));
        Py_ssize_t own = PyLong_AsSsize_t(PyList_GET_ITEM(span_counts, d));
        if (document_floors(texts, first, size, spans, own, &v, &s, floors) < 0) {
            Py_CLEAR(out);
            goto done;
        }
        first += size;
        spans += 2 * own;
        floors += own;
    }
    goto done;
no_memory:
    PyErr_NoMemory();
done:
    PyMem_Free(s.pairs);
    PyMem_Free(s.row);
    PyMem_Free(s.entry);
    PyMem_Free(s.distinct);
    PyMem_Free(s.count);
    PyMem_Free(s.span_count);
    PyMem_Free(s.stamp);
    PyMem_Free(s.touched);
    PyMem_Free(s.idf);
    PyMem_Free(s.slots);
    PyBuffer_Release(&spans_view);
    release_vocabulary(&v);
    return out;
}

/* ---- signatures(texts, ngram, a, b) -> uint32 rows ------------------------------------------
 * MinHash signatures, one row of len(a) uint32 per text: for every n-gram window, the
 * polynomial hash of its code points (h = h * 0x01000193 + point, from 0), MurmurHash3's
 * finaliser, then min over windows of a[j] * hash + b[j] (mod 2^32) for each permutation j.
 * A text shorter than one window is one window, padded with NULs; an empty one has no window
 * (its row stays all-maximum). Exactly qc.similarity.Signer's numpy computation. */
static inline uint32_t fmix32(uint32_t h) {
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    return h ^ (h >> 16);
}

/* The permutation minimum is 64 lanes of uint32 multiply-add-min (see VECTOR_CLONES). */
VECTOR_CLONES
static void sign_span(int kind, const void *data, Py_ssize_t start, Py_ssize_t size,
                      Py_ssize_t ngram, const uint32_t *a, const uint32_t *b, Py_ssize_t perms,
                      uint32_t *row) {
    Py_ssize_t windows = size == 0 ? 0 : (size < ngram ? 1 : size - ngram + 1);
    for (Py_ssize_t w = 0; w < windows; w++) {
        uint32_t h = 0;
        for (Py_ssize_t k = 0; k < ngram; k++) {
            Py_UCS4 c = w + k < size ? PyUnicode_READ(kind, data, start + w + k) : 0;
            h = h * 0x01000193u + (uint32_t)c;
        }
        uint32_t mixed = fmix32(h);
        for (Py_ssize_t j = 0; j < perms; j++) {
            uint32_t value = a[j] * mixed + b[j];
            row[j] = value < row[j] ? value : row[j];
        }
    }
}

static int permutations_fit(Py_ssize_t ngram, const Py_buffer *a, const Py_buffer *b) {
    if (ngram < 1 || a->len != b->len || a->len % sizeof(uint32_t) != 0) {
        PyErr_SetString(PyExc_ValueError, "ngram >= 1, and a and b of as many uint32 each");
        return 0;
    }
    return 1;
}

/* `count` rows of `perms` uint32, all-maximum: what a text without windows signs to. */
static PyObject *unsigned_rows(Py_ssize_t count, Py_ssize_t perms) {
    PyObject *out = PyByteArray_FromStringAndSize(NULL, count * perms * sizeof(uint32_t));
    if (out != NULL && count * perms > 0)
        memset(PyByteArray_AS_STRING(out), 0xFF, count * perms * sizeof(uint32_t));
    return out;
}

static PyObject *signatures(PyObject *self, PyObject *args) {
    PyObject *texts;
    Py_ssize_t ngram;
    Py_buffer a_view, b_view;
    if (!PyArg_ParseTuple(args, "O!ny*y*", &PyList_Type, &texts, &ngram, &a_view, &b_view))
        return NULL;
    PyObject *out = NULL;
    Py_ssize_t perms = a_view.len / (Py_ssize_t)sizeof(uint32_t);
    Py_ssize_t count = PyList_GET_SIZE(texts);
    if (!permutations_fit(ngram, &a_view, &b_view)) goto done;
    for (Py_ssize_t t = 0; t < count; t++) {
        if (!PyUnicode_Check(PyList_GET_ITEM(texts, t))) {
            PyErr_SetString(PyExc_TypeError, "texts must be str");
            goto done;
        }
    }
    if ((out = unsigned_rows(count, perms)) == NULL) goto done;
    uint32_t *rows = (uint32_t *)PyByteArray_AS_STRING(out);
    for (Py_ssize_t t = 0; t < count; t++) {
        PyObject *text = PyList_GET_ITEM(texts, t);
        sign_span(PyUnicode_KIND(text), PyUnicode_DATA(text), 0, PyUnicode_GET_LENGTH(text),
                  ngram, a_view.buf, b_view.buf, perms, rows + t * perms);
    }
done:
    PyBuffer_Release(&a_view);
    PyBuffer_Release(&b_view);
    return out;
}

/* ---- span_signatures(text, starts, lengths, ngram, a, b) -> uint32 rows --------------------
 * `signatures` of the pieces text[starts[i] : starts[i] + lengths[i]], without cutting them
 * out as strings. */
static PyObject *span_signatures(PyObject *self, PyObject *args) {
    PyObject *text, *starts_obj, *lengths_obj;
    Py_ssize_t ngram;
    Py_buffer a_view, b_view, starts_view = {0}, lengths_view = {0};
    if (!PyArg_ParseTuple(args, "UOOny*y*", &text, &starts_obj, &lengths_obj, &ngram, &a_view,
                          &b_view))
        return NULL;
    PyObject *out = NULL;
    Py_ssize_t perms = a_view.len / (Py_ssize_t)sizeof(uint32_t);
    Py_ssize_t count = PyObject_Length(starts_obj);
    if (count < 0 || !permutations_fit(ngram, &a_view, &b_view) ||
        int64_buffer(starts_obj, &starts_view, count, "starts") < 0 ||
        int64_buffer(lengths_obj, &lengths_view, count, "lengths") < 0)
        goto done;
    const int64_t *starts = starts_view.buf, *lengths = lengths_view.buf;
    if (!spans_fit(starts, lengths, count, PyUnicode_GET_LENGTH(text))) {
        PyErr_SetString(PyExc_ValueError, "spans must lie within the text");
        goto done;
    }
    if ((out = unsigned_rows(count, perms)) == NULL) goto done;
    uint32_t *rows = (uint32_t *)PyByteArray_AS_STRING(out);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t t = 0; t < count; t++)
        sign_span(kind, data, starts[t], lengths[t], ngram, a_view.buf, b_view.buf, perms,
                  rows + t * perms);
done:
    PyBuffer_Release(&a_view);
    PyBuffer_Release(&b_view);
    if (starts_view.obj) PyBuffer_Release(&starts_view);
    if (lengths_view.obj) PyBuffer_Release(&lengths_view);
    return out;
}

/* An open-addressing table of (64-bit key, row) slots for `entries` rows, at most half
 * full; a slot whose row is -1 is empty. Probing is linear from the key's Fibonacci hash. */
typedef struct {
    uint64_t *keys;
    int64_t *rows;
    int shift;
    size_t mask;
} RowTable;

static int row_table_init(RowTable *table, Py_ssize_t entries) {
    table->shift = table_shift(entries);
    size_t capacity = (size_t)1 << (64 - table->shift);
    table->mask = capacity - 1;
    table->keys = PyMem_Malloc(capacity * sizeof(uint64_t));
    table->rows = PyMem_Malloc(capacity * sizeof(int64_t));
    if (table->keys == NULL || table->rows == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memset(table->rows, 0xFF, capacity * sizeof(int64_t));
    return 0;
}

static void row_table_empty(RowTable *table) {
    memset(table->rows, 0xFF, (table->mask + 1) * sizeof(int64_t));
}

static void row_table_free(RowTable *table) {
    PyMem_Free(table->keys);
    PyMem_Free(table->rows);
}

static inline size_t row_slot(const RowTable *table, uint64_t key) {
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> table->shift);
}

/* ---- first_identical(text, starts, lengths, keys) -> int64 per piece ------------------------
 * For each piece text[starts[i] : starts[i] + lengths[i]], the first piece (the lowest i)
 * with the same key and the same characters: itself if none. A hash table of the pieces'
 * contents; pieces of equal hash are compared in full, so the answer is exact. */
static uint64_t span_hash(int kind, const void *data, Py_ssize_t start, Py_ssize_t size,
                          int64_t key) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)key * 0xC2B2AE3D27D4EB4Full;
    for (Py_ssize_t i = start; i < start + size; i++)
        h = (h ^ PyUnicode_READ(kind, data, i)) * 0x100000001B3ull;
    return (h ^ (h >> 29) ^ (uint64_t)size) * 0xBF58476D1CE4E5B9ull;
}

static PyObject *first_identical(PyObject *self, PyObject *args) {
    PyObject *text, *starts_obj, *lengths_obj, *keys_obj;
    if (!PyArg_ParseTuple(args, "UOOO", &text, &starts_obj, &lengths_obj, &keys_obj)) return NULL;
    Py_buffer starts_view = {0}, lengths_view = {0}, keys_view = {0};
    PyObject *firsts = NULL, *result = NULL;
    RowTable table = {NULL, NULL, 0, 0};
    Py_ssize_t count = PyObject_Length(starts_obj);
    if (count < 0 || int64_buffer(starts_obj, &starts_view, count, "starts") < 0 ||
        int64_buffer(lengths_obj, &lengths_view, count, "lengths") < 0 ||
        int64_buffer(keys_obj, &keys_view, count, "keys") < 0)
        goto done;
    const int64_t *starts = starts_view.buf, *lengths = lengths_view.buf, *keys = keys_view.buf;
    if (!spans_fit(starts, lengths, count, PyUnicode_GET_LENGTH(text))) {
        PyErr_SetString(PyExc_ValueError, "spans must lie within the text");
        goto done;
    }
    if ((firsts = new_int64s(count)) == NULL || row_table_init(&table, count) < 0) goto done;
    int kind = PyUnicode_KIND(text);
    const char *data = PyUnicode_DATA(text);
    int64_t *out = int64s(firsts);
    for (Py_ssize_t i = 0; i < count; i++) {
        uint64_t h = span_hash(kind, data, starts[i], lengths[i], keys[i]);
        for (size_t at = row_slot(&table, h);; at = (at + 1) & table.mask) {
            int64_t j = table.rows[at];
            if (j < 0) {
                table.rows[at] = i;
                table.keys[at] = h;
                out[i] = i;
                break;
            }
            if (table.keys[at] == h && keys[j] == keys[i] && lengths[j] == lengths[i] &&
                memcmp(data + starts[j] * kind, data + starts[i] * kind,
                       (size_t)lengths[i] * kind) == 0) {
                out[i] = j;
                break;
            }
        }
    }
    result = Py_NewRef(firsts);
done:
    row_table_free(&table);
    if (starts_view.obj) PyBuffer_Release(&starts_view);
    if (lengths_view.obj) PyBuffer_Release(&lengths_view);
    if (keys_view.obj) PyBuffer_Release(&keys_view);
    Py_XDECREF(firsts);
    return result;
}

/* ---- band_firsts(signatures, perms, bands, rows, weights, groups) -> int64 rows ------------
 * LSH banding: for each text and band, the earliest text whose band key is the same (itself
 * if none). A band's key is sum(signature[band * rows + r] * weights[r]) + group *
 * weights[rows], wrapping modulo 2^64 (qc.similarity.band_candidates); keys are compared
 * exactly, a hash table per band, so texts of different groups never meet. */
static PyObject *band_firsts(PyObject *self, PyObject *args) {
    Py_buffer signatures_view, weights_view, groups_view;
    Py_ssize_t perms, bands, rows;
    if (!PyArg_ParseTuple(args, "y*nnny*y*", &signatures_view, &perms, &bands, &rows,
                          &weights_view, &groups_view))
        return NULL;
    PyObject *out = NULL;
    RowTable table = {NULL, NULL, 0, 0};
    Py_ssize_t count = groups_view.len / (Py_ssize_t)sizeof(int64_t);
    if (perms < 1 || bands < 0 || rows < 1 || bands * rows > perms ||
        signatures_view.len != count * perms * (Py_ssize_t)sizeof(uint32_t) ||
        weights_view.len != (rows + 1) * (Py_ssize_t)sizeof(uint64_t) ||
        groups_view.len % sizeof(int64_t) != 0) {
        PyErr_SetString(PyExc_ValueError, "signatures: count x perms uint32; bands x rows <= "
                                          "perms; weights: rows + 1 uint64; groups: int64 each");
        goto done;
    }
    if ((out = new_int64s(count * bands)) == NULL) goto done;
    int64_t *firsts = int64s(out);
    if (row_table_init(&table, count) < 0) {
        Py_CLEAR(out);
        goto done;
    }
    const uint32_t *signatures = signatures_view.buf;
    const uint64_t *weights = weights_view.buf;
    const int64_t *groups = groups_view.buf;
    for (Py_ssize_t band = 0; band < bands; band++) {
        if (band > 0) row_table_empty(&table);
        for (Py_ssize_t t = 0; t < count; t++) {
            const uint32_t *values = signatures + t * perms + band * rows;
            uint64_t key = (uint64_t)groups[t] * weights[rows];
            for (Py_ssize_t r = 0; r < rows; r++) key += (uint64_t)values[r] * weights[r];
            size_t at = row_slot(&table, key);
            while (table.rows[at] >= 0 && table.keys[at] != key) at = (at + 1) & table.mask;
            if (table.rows[at] < 0) {
                table.keys[at] = key;
                table.rows[at] = t;
            }
            firsts[t * bands + band] = table.rows[at];
        }
    }
done:
    row_table_free(&table);
    PyBuffer_Release(&signatures_view);
    PyBuffer_Release(&weights_view);
    PyBuffer_Release(&groups_view);
    return out;
}

/* ---- documents(raw, normal, keys, lengths, edge, paragraph_type)
 *          -> ([(line count, paragraphs, chars)], paragraph norms, keys, norm lengths,
 *              key lengths)
 * Many texts laid end to end with line breaks, in three aligned forms (as written, NFKC,
 * comparison keys: each has a line break wherever the others do). Text i is lengths[i]
 * characters of the form as written. Per text: how many lines it has (a last empty one is
 * none), a paragraph for every line that is not blank once `edge` characters are stripped
 * from both ends: paragraph_type(index, line number, stripped line, stripped NFKC line, key
 * line), built as the tuple subclass it is (a named tuple) without calling its Python
 * constructor, and the paragraphs' total length as written. For the whole batch: every
 * paragraph's NFKC form joined by line breaks, the keys laid end to end (without line
 * breaks), and each paragraph's NFKC and key length (int64), for the passes that screen the
 * whole batch at once. */
typedef struct {
    PyObject *text;
    Py_ssize_t at, size; /* the start of the current line, and the length of the text */
    Py_ssize_t breaks;   /* line breaks passed */
} LineCursor;

/* The first line break in [at, size) of two-byte text, or size. Eight characters a compare
 * where SSE2 is there (every x86-64): a line is a hundred characters or so, and
 * PyUnicode_FindChar spent more on being called, three times a line, than on searching. */
static Py_ssize_t break_in_ucs2(const Py_UCS2 *chars, Py_ssize_t at, Py_ssize_t size) {
#ifdef __SSE2__
    const __m128i line_break = _mm_set1_epi16('\n');
    for (; at + 8 <= size; at += 8) {
        __m128i eight = _mm_loadu_si128((const __m128i *)(chars + at));
        int found = _mm_movemask_epi8(_mm_cmpeq_epi16(eight, line_break));
        if (found) return at + (__builtin_ctz((unsigned)found) >> 1);
    }
#endif
    while (at < size && chars[at] != '\n') at++;
    return at;
}

/* The end of the current line (the offset of its line break, or the end of the text). */
static Py_ssize_t line_end(LineCursor *cursor) {
    Py_ssize_t found;
    if (PyUnicode_KIND(cursor->text) == PyUnicode_2BYTE_KIND) {
        found = break_in_ucs2(PyUnicode_2BYTE_DATA(cursor->text), cursor->at, cursor->size);
        found = found < cursor->size ? found : -1;
    } else {
        found = PyUnicode_FindChar(cursor->text, '\n', cursor->at, cursor->size, 1);
    }
    cursor->breaks += found >= 0;
    return found < 0 ? cursor->size : found;
}

/* Where each paragraph's NFKC form lies in the NFKC text ([start, end) pairs), each one's key
 * length, and the key lines laid end to end (in the keys' own kind): the batch-wide columns,
 * gathered as the paragraphs are cut. */
typedef struct {
    Int64s norm_spans, key_lengths;
    char *keys;
    Py_ssize_t keys_size;
} Columns;

static int is_edge(const uint8_t *edge, Py_UCS4 c) {
    return c < BMP && (edge[c >> 3] >> (c & 7)) & 1;
}

/* [*start, *end) narrowed past edge characters at both ends. */
static void strip_span(PyObject *text, const uint8_t *edge, Py_ssize_t *start, Py_ssize_t *end) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    while (*start < *end && is_edge(edge, PyUnicode_READ(kind, data, *start))) (*start)++;
    while (*end > *start && is_edge(edge, PyUnicode_READ(kind, data, *end - 1))) (*end)--;
}

static PyObject *new_paragraph(PyTypeObject *type, Py_ssize_t index, Py_ssize_t number,
                               PyObject *text, PyObject *norm, PyObject *key) {
    PyObject *paragraph = type->tp_alloc(type, 5);
    PyObject *index_obj = PyLong_FromSsize_t(index), *number_obj = PyLong_FromSsize_t(number);
    if (paragraph == NULL || index_obj == NULL || number_obj == NULL) {
        Py_XDECREF(paragraph);
        Py_XDECREF(index_obj);
        Py_XDECREF(number_obj);
        return NULL;
    }
    PyTuple_SET_ITEM(paragraph, 0, index_obj);
    PyTuple_SET_ITEM(paragraph, 1, number_obj);
    PyTuple_SET_ITEM(paragraph, 2, Py_NewRef(text));
    PyTuple_SET_ITEM(paragraph, 3, Py_NewRef(norm));
    PyTuple_SET_ITEM(paragraph, 4, Py_NewRef(key));
    return paragraph;
}

/* [start, end) of `normal` as a str: `text` itself when it holds the same characters (most
 * lines, which NFKC leaves alone), so the line is not copied twice. */
static PyObject *same_or_substring(PyObject *text, PyObject *normal, Py_ssize_t start,
                                   Py_ssize_t end) {
    int kind = PyUnicode_KIND(normal);
    if (PyUnicode_GET_LENGTH(text) == end - start && PyUnicode_KIND(text) == kind &&
        memcmp(PyUnicode_DATA(text), (const char *)PyUnicode_DATA(normal) + start * kind,
               (end - start) * kind) == 0)
        return Py_NewRef(text);
    return PyUnicode_Substring(normal, start, end);
}

/* The next line of each form as a paragraph (or NULL with *blank set), advancing the cursors;
 * *length is the line's length as written, *line_stop the offset where it ends. NULL without
 * *blank set: an exception. */
static PyObject *next_paragraph(LineCursor forms[3], const uint8_t *edge, PyTypeObject *type,
                                Py_ssize_t index, Py_ssize_t number, Py_ssize_t *length,
                                Py_ssize_t *line_stop, int *blank, Columns *columns,
                                Py_ssize_t *chars) {
    Py_ssize_t ends[3], start = forms[0].at, end;
    for (int f = 0; f < 3; f++) ends[f] = line_end(&forms[f]);
    PyObject *paragraph = NULL, *text = NULL, *norm = NULL, *key = NULL;
    *length = ends[0] - forms[0].at;
    *line_stop = ends[0];
    *blank = 1;
    end = ends[0];
    int key_kind = PyUnicode_KIND(forms[2].text);
    Py_ssize_t key_length = ends[2] - forms[2].at;
    if (key_length > 0) { /* a blank line has an empty key */
        memcpy(columns->keys + columns->keys_size * key_kind,
               (const char *)PyUnicode_DATA(forms[2].text) + forms[2].at * key_kind,
               key_length * key_kind);
        columns->keys_size += key_length;
    }
    strip_span(forms[0].text, edge, &start, &end);
    if (start < end) {
        *blank = 0;
        Py_ssize_t norm_start = forms[1].at, norm_end = ends[1];
        strip_span(forms[1].text, edge, &norm_start, &norm_end);
        text = PyUnicode_Substring(forms[0].text, start, end);
        if (text != NULL) norm = same_or_substring(text, forms[1].text, norm_start, norm_end);
        key = PyUnicode_Substring(forms[2].text, forms[2].at, ends[2]);
        *chars += end - start;
        if (text != NULL && norm != NULL && key != NULL &&
            append_int64(&columns->norm_spans, norm_start) == 0 &&
            append_int64(&columns->norm_spans, norm_end) == 0 &&
            append_int64(&columns->key_lengths, key_length) == 0)
            paragraph = new_paragraph(type, index, number, text, norm, key);
    }
    for (int f = 0; f < 3; f++) forms[f].at = ends[f] + 1;
    Py_XDECREF(text);
    Py_XDECREF(norm);
    Py_XDECREF(key);
    return paragraph;
}

/* One text's (line count, paragraphs, chars), its lines read from the cursors up to `stop`,
 * where the text as written ends. A last line that is empty is no line (the text ends with
 * a line break). */
static PyObject *one_document(LineCursor forms[3], Py_ssize_t stop, const uint8_t *edge,
                              PyTypeObject *type, Columns *columns) {
    Py_ssize_t chars = 0, length = 0, count = 0, line_stop = 0;
    PyObject *paragraphs = PyList_New(0), *result = NULL;
    if (paragraphs == NULL) goto done;
    do {
        int blank;
        PyObject *paragraph =
            next_paragraph(forms, edge, type, PyList_GET_SIZE(paragraphs), ++count, &length,
                           &line_stop, &blank, columns, &chars);
        int failed = (!blank && paragraph == NULL) ||
                     (paragraph != NULL && PyList_Append(paragraphs, paragraph) < 0);
        Py_XDECREF(paragraph);
        if (failed) goto done;
    } while (line_stop < stop);
    if (line_stop != stop) {
        PyErr_SetString(PyExc_ValueError, "a text's length does not end it at a line break");
        goto done;
    }
    Py_ssize_t lines = length == 0 ? count - 1 : count;
    PyObject *paragraph_tuple = PyList_AsTuple(paragraphs);
    if (paragraph_tuple != NULL) result = Py_BuildValue("(nOn)", lines, paragraph_tuple, chars);
    Py_XDECREF(paragraph_tuple);
done:
    Py_XDECREF(paragraphs);
    return result;
}

/* The spans of `text` joined by line breaks, as a str of the narrowest kind that holds it. */
static PyObject *joined_spans(PyObject *text, const Int64s *spans) {
    int kind = PyUnicode_KIND(text);
    const char *data = PyUnicode_DATA(text);
    Py_ssize_t pieces = spans->size / 2, size = pieces > 0 ? pieces - 1 : 0;
    for (Py_ssize_t i = 0; i < pieces; i++) size += spans->values[2 * i + 1] - spans->values[2 * i];
    char *buffer = PyMem_Malloc(size > 0 ? size * kind : 1), *at = buffer;
    if (buffer == NULL) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < pieces; i++) {
        if (i > 0) { /* a line break of this kind */
            if (kind == PyUnicode_1BYTE_KIND) *(Py_UCS1 *)at = '\n';
            else if (kind == PyUnicode_2BYTE_KIND) *(Py_UCS2 *)at = '\n';
            else *(Py_UCS4 *)at = '\n';
            at += kind;
        }
        Py_ssize_t start = spans->values[2 * i], length = spans->values[2 * i + 1] - start;
        memcpy(at, data + start * kind, length * kind);
        at += length * kind;
    }
    /* Narrowed if the paragraphs need fewer bytes per character than the whole text did. */
    PyObject *out = PyUnicode_FromKindAndData(kind, buffer, size);
    PyMem_Free(buffer);
    return out;
}

static PyObject *int64s_of(const Int64s *array) {
    PyObject *out = new_int64s(array->size);
    if (out != NULL && array->size > 0)
        memcpy(int64s(out), array->values, array->size * sizeof(int64_t));
    return out;
}

static PyObject *documents(PyObject *self, PyObject *args) {
    PyObject *raw, *normal, *keys_text, *lengths, *edge_chars, *type_obj;
    if (!PyArg_ParseTuple(args, "UUUO!UO!", &raw, &normal, &keys_text, &PyList_Type, &lengths,
                          &edge_chars, &PyType_Type, &type_obj))
        return NULL;
    PyTypeObject *type = (PyTypeObject *)type_obj;
    if (!PyType_IsSubtype(type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "paragraph_type must be a tuple subclass");
        return NULL;
    }
    uint8_t *edge = PyMem_Calloc(BMP / 8, 1);
    PyObject *out = NULL, *result = NULL;
    Columns columns = {{NULL, 0, 0}, {NULL, 0, 0}, NULL, 0};
    if (edge == NULL) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(edge_chars); i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(edge_chars, i);
        if (c >= BMP) {
            PyErr_SetString(PyExc_ValueError, "edge: characters of the BMP only");
            goto done;
        }
        edge[c >> 3] |= (uint8_t)(1u << (c & 7));
    }
    LineCursor forms[3] = {{raw, 0, PyUnicode_GET_LENGTH(raw), 0},
                           {normal, 0, PyUnicode_GET_LENGTH(normal), 0},
                           {keys_text, 0, PyUnicode_GET_LENGTH(keys_text), 0}};
    /* The texts and one line break between each two must make up the form as written. */
    Py_ssize_t texts = PyList_GET_SIZE(lengths), total = texts > 0 ? texts - 1 : 0;
    for (Py_ssize_t t = 0; t < texts; t++) {
        Py_ssize_t length = PyLong_AsSsize_t(PyList_GET_ITEM(lengths, t));
        if (length < 0 || length > forms[0].size - total) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "bad text lengths");
            goto done;
        }
        total += length;
    }
    if (total != forms[0].size) {
        PyErr_SetString(PyExc_ValueError, "the text lengths do not add up to the text");
        goto done;
    }
    columns.keys = PyMem_Malloc((forms[2].size + 1) * PyUnicode_KIND(keys_text));
    if (columns.keys == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if ((out = PyList_New(texts)) == NULL) goto done;
    for (Py_ssize_t t = 0, stop = 0; t < texts; t++) {
        stop += PyLong_AsSsize_t(PyList_GET_ITEM(lengths, t)) + (t > 0);
        PyObject *document = one_document(forms, stop, edge, type, &columns);
        if (document == NULL) goto done;
        PyList_SET_ITEM(out, t, document);
    }
    /* Each form must have been read to its end, with as many line breaks as the text as
     * written: the forms are aligned (reading never passes a text's end, so a mismatch only
     * gives wrong lines, which are dropped here). */
    for (int f = 0; f < 3; f++) {
        if (forms[f].breaks != forms[0].breaks ||
            (texts > 0 && forms[f].at != forms[f].size + 1) || (texts == 0 && forms[f].size > 0)) {
            PyErr_SetString(PyExc_ValueError, "the forms' lines do not match");
            goto done;
        }
    }
    PyObject *norms = joined_spans(normal, &columns.norm_spans);
    /* The keys without their line breaks need no wider a kind than the keys did, nor a
     * narrower one (a line break is ASCII): the kind the keys have is the canonical one. */
    PyObject *keys = PyUnicode_New(columns.keys_size, PyUnicode_MAX_CHAR_VALUE(keys_text));
    PyObject *norm_lengths = new_int64s(columns.key_lengths.size);
    PyObject *key_lengths = int64s_of(&columns.key_lengths);
    if (norms != NULL && keys != NULL && norm_lengths != NULL && key_lengths != NULL) {
        memcpy(PyUnicode_DATA(keys), columns.keys, columns.keys_size * PyUnicode_KIND(keys));
        for (Py_ssize_t i = 0; i < columns.key_lengths.size; i++)
            int64s(norm_lengths)[i] =
                columns.norm_spans.values[2 * i + 1] - columns.norm_spans.values[2 * i];
        result = PyTuple_Pack(5, out, norms, keys, norm_lengths, key_lengths);
    }
    Py_XDECREF(norms);
    Py_XDECREF(keys);
    Py_XDECREF(norm_lengths);
    Py_XDECREF(key_lengths);
done:
    Py_XDECREF(out);
    PyMem_Free(edge);
    PyMem_Free(columns.norm_spans.values);
    PyMem_Free(columns.key_lengths.values);
    PyMem_Free(columns.keys);
    return result;
}

/* ---- points_at(text, offsets) -> uint32 code points
 * The code point at each int64 offset of the text; an offset at the end (or past it, or
 * before the start) reads as 0x110000, no character. A few reads instead of a copy of all. */
static PyObject *points_at(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_buffer offsets;
    if (!PyArg_ParseTuple(args, "Uy*", &text, &offsets)) return NULL;
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t), size = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyByteArray_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(uint32_t));
    if (out != NULL) {
        const int64_t *at = offsets.buf;
        uint32_t *points = (uint32_t *)PyByteArray_AS_STRING(out);
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        for (Py_ssize_t i = 0; i < count; i++)
            points[i] = at[i] >= 0 && at[i] < size ? PyUnicode_READ(kind, data, at[i]) : 0x110000;
    }
    PyBuffer_Release(&offsets);
    return out;
}

/* ---- wide(text) -> bool
 * Whether the str holds a character beyond the BMP, which is what makes CPython store it four
 * bytes a character: read off its representation, without a pass over the text. */
static PyObject *wide(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "wide: a str is needed");
        return NULL;
    }
    return PyBool_FromLong(PyUnicode_KIND(text) == PyUnicode_4BYTE_KIND);
}

/* ---- control_bytes(data, limit) -> (nuls, controls) in data[:limit] ------------------------
 * Control bytes are those below 0x20 that text does not hold: not tab, line feed, form feed,
 * carriage return or escape (qc.text._CONTROL_BYTES). One pass over the bytes, no copy. */

/* NULs and control bytes of `n` <= 255 bytes, counted in 8 bits. Written as sums of plain
 * comparisons (the text controls subtracted), so that the compiler vectorises it: written as
 * a chain of `!=`, it becomes a bit test on a 64-bit mask, one byte at a time. */
static inline void count_controls(const uint8_t *data, int n, uint8_t *nuls, uint8_t *controls) {
    uint8_t zero = 0, low = 0;
    for (int i = 0; i < n; i++) {
        uint8_t byte = data[i];
        zero += byte == 0;
        low += byte < 32;
        low -= (uint8_t)((byte == 9) + (byte == 10) + (byte == 12) + (byte == 13) + (byte == 27));
    }
    *nuls = zero;
    *controls = low;
}

static PyObject *control_bytes(PyObject *self, PyObject *args) {
    Py_buffer view;
    Py_ssize_t limit;
    if (!PyArg_ParseTuple(args, "y*n", &view, &limit)) return NULL;
    if (limit < 0) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "limit must be >= 0");
        return NULL;
    }
    const uint8_t *data = view.buf;
    Py_ssize_t size = view.len < limit ? view.len : limit, nuls = 0, controls = 0;
    for (Py_ssize_t start = 0; start < size; start += 128) {
        uint8_t block_nuls, block_controls;
        if (size - start >= 128) {
            count_controls(data + start, 128, &block_nuls, &block_controls);
        } else {
            count_controls(data + start, (int)(size - start), &block_nuls, &block_controls);
        }
        nuls += block_nuls;
        controls += block_controls;
    }
    PyBuffer_Release(&view);
    return Py_BuildValue("(nn)", nuls, controls);
}

static PyMethodDef methods[] = {
    {"fold", fold, METH_VARARGS, "Width-fold a text; return it and its NFKC-unstable runs."},
    {"keys", keys, METH_VARARGS, "Comparison keys of NFKC text, and whether to casefold them."},
    {"sentences", sentences, METH_VARARGS, "Sentence spans of paragraphs joined by line breaks."},
    {"news_counts", news_counts, METH_VARARGS, "Han bigrams per text, and the known ones."},
    {"shared_windows", shared_windows, METH_VARARGS, "Windows shared within a scope, per unit."},
    {"opening_windows", opening_windows, METH_VARARGS, "Windows of texts found in later openings."},
    {"vectors", vectors, METH_VARARGS, "TF-IDF vectors of each document's paragraphs."},
    {"topic", topic, METH_VARARGS, "Each paragraph's cosine to the rest of the article."},
    {"block_cosine", block_cosine, METH_VARARGS, "A run of paragraphs' cosine to the rest."},
    {"rest_cosine_floors", rest_cosine_floors, METH_VARARGS,
     "Lower bounds of spans' cosines to the rest of their document."},
    {"signatures", signatures, METH_VARARGS, "MinHash signatures of texts, one row each."},
    {"span_signatures", span_signatures, METH_VARARGS, "MinHash signatures of pieces of a text."},
    {"first_identical", first_identical, METH_VARARGS, "Each piece's first identical piece."},
    {"documents", documents, METH_VARARGS, "Lines and paragraphs of texts laid end to end."},
    {"containing", containing, METH_VARARGS, "Which texts hold any of the literals or ranges."},
    {"band_firsts", band_firsts, METH_VARARGS, "Each text's earliest equal LSH band, per band."},
    {"control_bytes", control_bytes, METH_VARARGS, "NUL and control bytes in a prefix."},
    {"wide", wide, METH_O, "Whether a str holds a character beyond the BMP."},
    {"points_at", points_at, METH_VARARGS, "The code points at int64 offsets of a text."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "qc._native", "qc's per-character passes in C.", -1, methods,
};

PyMODINIT_FUNC PyInit__native(void) {
#ifdef AVX2_PATHS
    fill_pack_lanes();
#endif
    return PyModule_Create(&module);
}
