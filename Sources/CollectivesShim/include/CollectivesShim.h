#ifndef RLHF_COLLECTIVES_SHIM_H
#define RLHF_COLLECTIVES_SHIM_H

// OpenMPI's libmpi, loaded at run time. The package must build and run where MPI is not installed, so nothing here
// includes <mpi.h> or links libmpi: `rlhf_mpi_load` opens the library with dlopen and resolves the functions below
// and the handles that <mpi.h> defines as macros (MPI_COMM_WORLD is the address of the exported global
// `ompi_mpi_comm_world`, MPI_FLOAT of `ompi_mpi_float`, MPI_SUM of `ompi_mpi_op_sum`, MPI_IN_PLACE is (void *)1).
// These are OpenMPI's ABI (libmpi.so.40, OpenMPI 3 to 5); MPICH's handles are integers and are not supported.
//
// Every function returns MPI's error code (0 is success) unless it says otherwise. All collectives are the
// non-blocking MPI-3 forms: the caller polls `rlhf_mpi_test`, so that it can give up after a timeout.

#include <stdint.h>

/// A pending operation (OpenMPI's MPI_Request, a pointer).
typedef void *rlhf_mpi_request;
/// A communicator (OpenMPI's MPI_Comm, a pointer): MPI_COMM_WORLD (`rlhf_mpi_world`) or one made by
/// `rlhf_mpi_comm_split`. Every collective and point-to-point call below runs on the one it is given.
typedef void *rlhf_mpi_comm;

/// The element types the collectives move.
typedef enum {
    RLHF_MPI_FLOAT = 0,
    RLHF_MPI_DOUBLE = 1,
    RLHF_MPI_INT64 = 2,
    RLHF_MPI_BYTE = 3,
    /// bfloat16 as its 16 bits (MPI_UINT16_T); sums go through a custom operation that adds in float.
    RLHF_MPI_BFLOAT16 = 4,
} rlhf_mpi_type;

/// Opens the first of `paths` that dlopen accepts and resolves every symbol. Returns 0, or -1 with a one-line reason
/// in `error` (NUL-terminated, at most `error_size` bytes).
int rlhf_mpi_load(const char *const *paths, int count, char *error, int error_size);

/// MPI_Init_thread(MPI_THREAD_SERIALIZED); `provided` receives the level granted.
int rlhf_mpi_init(int *provided);
/// MPI_Finalize.
int rlhf_mpi_finalize(void);
/// MPI_Abort(MPI_COMM_WORLD, code): ends every rank.
int rlhf_mpi_abort(int code);
/// MPI_COMM_WORLD (valid once the library is loaded).
rlhf_mpi_comm rlhf_mpi_world(void);
/// This process's rank in `comm`.
int rlhf_mpi_rank(rlhf_mpi_comm comm, int *rank);
/// The number of ranks in `comm`.
int rlhf_mpi_size(rlhf_mpi_comm comm, int *size);
/// MPI_Comm_split: the ranks of `comm` that pass the same `color` form a new communicator, ordered by `key`. It is
/// blocking (MPI has no non-blocking split): call it only after a timed barrier showed every rank is there.
int rlhf_mpi_comm_split(rlhf_mpi_comm comm, int color, int key, rlhf_mpi_comm *result);
/// MPI_Error_string into `text` (at most `size` bytes, NUL-terminated).
void rlhf_mpi_error_string(int code, char *text, int size);

/// In-place sum over every rank (MPI_Iallreduce with MPI_IN_PLACE).
int rlhf_mpi_iallreduce_sum(
    rlhf_mpi_comm comm, void *buffer, int count, rlhf_mpi_type type, rlhf_mpi_request *request);
/// `root`'s buffer copied into every rank's (MPI_Ibcast).
int rlhf_mpi_ibcast(
    rlhf_mpi_comm comm, void *buffer, int count, rlhf_mpi_type type, int root, rlhf_mpi_request *request);
/// Every rank's `count` elements, concatenated in rank order into `receive` (MPI_Iallgather).
int rlhf_mpi_iallgather(
    rlhf_mpi_comm comm, const void *send, void *receive, int count, rlhf_mpi_type type, rlhf_mpi_request *request);
/// The sum of every rank's `send` (size × `receive_count` elements); rank r keeps block r (MPI_Ireduce_scatter_block).
int rlhf_mpi_ireduce_scatter_sum(
    rlhf_mpi_comm comm, const void *send, void *receive, int receive_count, rlhf_mpi_type type,
    rlhf_mpi_request *request);
/// MPI_Ibarrier.
int rlhf_mpi_ibarrier(rlhf_mpi_comm comm, rlhf_mpi_request *request);
/// Sends `count` bytes to `destination` with `tag` (MPI_Isend).
int rlhf_mpi_isend(
    rlhf_mpi_comm comm, const void *buffer, int count, int destination, int tag, rlhf_mpi_request *request);
/// Receives up to `count` bytes from `source` with `tag` (MPI_Irecv).
int rlhf_mpi_irecv(
    rlhf_mpi_comm comm, void *buffer, int count, int source, int tag, rlhf_mpi_request *request);
/// MPI_Test: `done` becomes 1 when the operation has completed (the request is then freed).
int rlhf_mpi_test(rlhf_mpi_request *request, int *done);
/// MPI_Cancel then MPI_Request_free, for a receive that is no longer wanted.
int rlhf_mpi_cancel(rlhf_mpi_request *request);
/// MPI_Request_free: a send completes on its own (its buffer must stay valid until then).
int rlhf_mpi_request_free(rlhf_mpi_request *request);

#endif
