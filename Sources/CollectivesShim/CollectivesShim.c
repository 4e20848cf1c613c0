// OpenMPI's libmpi through dlopen/dlsym: see CollectivesShim.h. The prototypes below are MPI's C API with every handle
// type (MPI_Comm, MPI_Datatype, MPI_Op, MPI_Request) written as the pointer it is in OpenMPI.

#include "CollectivesShim.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef void *handle_t;

typedef int (*init_thread_f)(int *, char ***, int, int *);
typedef int (*finalize_f)(void);
typedef int (*abort_f)(handle_t, int);
typedef int (*comm_int_f)(handle_t, int *);
typedef int (*comm_split_f)(handle_t, int, int, handle_t *);
typedef int (*error_string_f)(int, char *, int *);
typedef int (*iallreduce_f)(const void *, void *, int, handle_t, handle_t, handle_t, handle_t *);
typedef int (*ibcast_f)(void *, int, handle_t, int, handle_t, handle_t *);
typedef int (*iallgather_f)(const void *, int, handle_t, void *, int, handle_t, handle_t, handle_t *);
typedef int (*ireduce_scatter_block_f)(const void *, void *, int, handle_t, handle_t, handle_t, handle_t *);
typedef int (*ibarrier_f)(handle_t, handle_t *);
typedef int (*isend_f)(const void *, int, handle_t, int, int, handle_t, handle_t *);
typedef int (*irecv_f)(void *, int, handle_t, int, int, handle_t, handle_t *);
typedef int (*test_f)(handle_t *, int *, void *);
typedef int (*request_f)(handle_t *);
typedef int (*cancel_f)(handle_t *);
typedef void (*user_function_f)(void *, void *, int *, handle_t *);
typedef int (*op_create_f)(user_function_f, int, handle_t *);

/// MPI_THREAD_SERIALIZED in OpenMPI's enum (SINGLE, FUNNELED, SERIALIZED, MULTIPLE).
static const int thread_serialized = 2;
/// MPI_IN_PLACE.
static void *const in_place = (void *)1;

static struct {
    init_thread_f init_thread;
    finalize_f finalize;
    abort_f abort;
    comm_int_f comm_rank, comm_size;
    comm_split_f comm_split;
    error_string_f error_string;
    iallreduce_f iallreduce;
    ibcast_f ibcast;
    iallgather_f iallgather;
    ireduce_scatter_block_f ireduce_scatter_block;
    ibarrier_f ibarrier;
    isend_f isend;
    irecv_f irecv;
    test_f test;
    cancel_f cancel;
    request_f request_free;
    op_create_f op_create;
    handle_t comm_world, op_sum, bfloat16_sum;
    handle_t types[5];
} mpi;

int rlhf_mpi_load(const char *const *paths, int count, char *error, int error_size) {
    void *library = NULL;
    const char *reason = "no library name given";
    for (int i = 0; i < count && !library; i++) {
        // RTLD_GLOBAL: OpenMPI's plugins (mca_*.so), which libmpi opens itself, look up libmpi's symbols globally.
        library = dlopen(paths[i], RTLD_NOW | RTLD_GLOBAL);
        if (!library) reason = dlerror();
    }
    if (!library) {
        snprintf(error, (size_t)error_size, "%s", reason ? reason : "dlopen failed");
        return -1;
    }
    const char *missing = NULL;
#define RESOLVE(field, name)                                                                                           \
    do {                                                                                                               \
        *(void **)(&mpi.field) = dlsym(library, name);                                                                 \
        if (!mpi.field && !missing) missing = name;                                                                    \
    } while (0)
    RESOLVE(init_thread, "MPI_Init_thread");
    RESOLVE(finalize, "MPI_Finalize");
    RESOLVE(abort, "MPI_Abort");
    RESOLVE(comm_rank, "MPI_Comm_rank");
    RESOLVE(comm_size, "MPI_Comm_size");
    RESOLVE(comm_split, "MPI_Comm_split");
    RESOLVE(error_string, "MPI_Error_string");
    RESOLVE(iallreduce, "MPI_Iallreduce");
    RESOLVE(ibcast, "MPI_Ibcast");
    RESOLVE(iallgather, "MPI_Iallgather");
    RESOLVE(ireduce_scatter_block, "MPI_Ireduce_scatter_block");
    RESOLVE(ibarrier, "MPI_Ibarrier");
    RESOLVE(isend, "MPI_Isend");
    RESOLVE(irecv, "MPI_Irecv");
    RESOLVE(test, "MPI_Test");
    RESOLVE(cancel, "MPI_Cancel");
    RESOLVE(request_free, "MPI_Request_free");
    RESOLVE(op_create, "MPI_Op_create");
    // The predefined handles are the addresses of these globals (OMPI_PREDEFINED_GLOBAL in OpenMPI's mpi.h).
    RESOLVE(comm_world, "ompi_mpi_comm_world");
    RESOLVE(op_sum, "ompi_mpi_op_sum");
    RESOLVE(types[RLHF_MPI_FLOAT], "ompi_mpi_float");
    RESOLVE(types[RLHF_MPI_DOUBLE], "ompi_mpi_double");
    RESOLVE(types[RLHF_MPI_INT64], "ompi_mpi_int64_t");
    RESOLVE(types[RLHF_MPI_BYTE], "ompi_mpi_byte");
    RESOLVE(types[RLHF_MPI_BFLOAT16], "ompi_mpi_uint16_t");
#undef RESOLVE
    if (missing) {
        snprintf(error, (size_t)error_size, "%s has no symbol %s (is it OpenMPI?)", paths[0], missing);
        return -1;
    }
    return 0;
}

/// bfloat16 → float: the 16 bits are the float's upper half.
static float widen(uint16_t bits) {
    uint32_t word = (uint32_t)bits << 16;
    float value;
    memcpy(&value, &word, sizeof value);
    return value;
}

/// float → bfloat16, rounding to nearest even (NaN stays NaN).
static uint16_t narrow(float value) {
    uint32_t word;
    memcpy(&word, &value, sizeof word);
    if ((word & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((word >> 16) | 0x40);
    word += 0x7fffu + ((word >> 16) & 1u);
    return (uint16_t)(word >> 16);
}

/// MPI_User_function: inout[i] = in[i] + inout[i] in bfloat16, added in float.
static void bfloat16_sum(void *in, void *inout, int *length, handle_t *type) {
    (void)type;
    const uint16_t *a = in;
    uint16_t *b = inout;
    for (int i = 0; i < *length; i++) b[i] = narrow(widen(a[i]) + widen(b[i]));
}

int rlhf_mpi_init(int *provided) {
    int code = mpi.init_thread(NULL, NULL, thread_serialized, provided);
    if (code != 0) return code;
    return mpi.op_create(bfloat16_sum, 1, &mpi.bfloat16_sum);
}

int rlhf_mpi_finalize(void) { return mpi.finalize(); }

int rlhf_mpi_abort(int code) { return mpi.abort(mpi.comm_world, code); }

rlhf_mpi_comm rlhf_mpi_world(void) { return mpi.comm_world; }

int rlhf_mpi_rank(rlhf_mpi_comm comm, int *rank) { return mpi.comm_rank(comm, rank); }

int rlhf_mpi_size(rlhf_mpi_comm comm, int *size) { return mpi.comm_size(comm, size); }

int rlhf_mpi_comm_split(rlhf_mpi_comm comm, int color, int key, rlhf_mpi_comm *result) {
    return mpi.comm_split(comm, color, key, result);
}

void rlhf_mpi_error_string(int code, char *text, int size) {
    char buffer[512];  // MPI_MAX_ERROR_STRING is 256 in OpenMPI
    int length = 0;
    if (!mpi.error_string || mpi.error_string(code, buffer, &length) != 0) length = 0;
    buffer[length < (int)sizeof buffer ? length : (int)sizeof buffer - 1] = 0;
    snprintf(text, (size_t)size, "%s", length > 0 ? buffer : "unknown MPI error");
}

static handle_t sum_for(rlhf_mpi_type type) { return type == RLHF_MPI_BFLOAT16 ? mpi.bfloat16_sum : mpi.op_sum; }

int rlhf_mpi_iallreduce_sum(
    rlhf_mpi_comm comm, void *buffer, int count, rlhf_mpi_type type, rlhf_mpi_request *request) {
    return mpi.iallreduce(in_place, buffer, count, mpi.types[type], sum_for(type), comm, request);
}

int rlhf_mpi_ibcast(
    rlhf_mpi_comm comm, void *buffer, int count, rlhf_mpi_type type, int root, rlhf_mpi_request *request) {
    return mpi.ibcast(buffer, count, mpi.types[type], root, comm, request);
}

int rlhf_mpi_iallgather(
    rlhf_mpi_comm comm, const void *send, void *receive, int count, rlhf_mpi_type type, rlhf_mpi_request *request) {
    return mpi.iallgather(send, count, mpi.types[type], receive, count, mpi.types[type], comm, request);
}

int rlhf_mpi_ireduce_scatter_sum(
    rlhf_mpi_comm comm, const void *send, void *receive, int receive_count, rlhf_mpi_type type,
    rlhf_mpi_request *request) {
    return mpi.ireduce_scatter_block(
        send, receive, receive_count, mpi.types[type], sum_for(type), comm, request);
}

int rlhf_mpi_ibarrier(rlhf_mpi_comm comm, rlhf_mpi_request *request) { return mpi.ibarrier(comm, request); }

int rlhf_mpi_isend(
    rlhf_mpi_comm comm, const void *buffer, int count, int destination, int tag, rlhf_mpi_request *request) {
    return mpi.isend(buffer, count, mpi.types[RLHF_MPI_BYTE], destination, tag, comm, request);
}

int rlhf_mpi_irecv(
    rlhf_mpi_comm comm, void *buffer, int count, int source, int tag, rlhf_mpi_request *request) {
    return mpi.irecv(buffer, count, mpi.types[RLHF_MPI_BYTE], source, tag, comm, request);
}

int rlhf_mpi_test(rlhf_mpi_request *request, int *done) { return mpi.test(request, done, NULL); }

int rlhf_mpi_cancel(rlhf_mpi_request *request) {
    int code = mpi.cancel(request);
    return code != 0 ? code : mpi.request_free(request);
}

int rlhf_mpi_request_free(rlhf_mpi_request *request) { return mpi.request_free(request); }
