import CollectivesShim
import Foundation

/// Where another rank said it was, when asked after a collective timed out.
struct ProbeAnswer: Equatable, Sendable {
    /// The number of the collective it was waiting in (1 = the run's first), or 0 when between collectives.
    var sequence: Int
    /// That collective's description.
    var operation: String
}

/// A side channel of point-to-point messages beside the collectives, to find out which ranks did not arrive when one
/// times out: a rank waiting in a collective answers every other rank's "where are you?" with the number and name
/// of the collective it waits in. A rank that is computing, stopped or dead does not answer.
///
/// Each rank keeps one receive posted from every other rank (tag `questionTag`); `answer` serves those that arrived.
final class ProbeResponder {
    /// Tags of the questions and answers (MPI guarantees tags up to 32767).
    static let questionTag: Int32 = 32001
    static let answerTag: Int32 = 32002
    /// Bytes of an answer: the sequence number (Int64), then the operation's UTF-8, NUL-terminated.
    static let answerBytes = 192

    private let comm: rlhf_mpi_comm?
    private let rank: Int
    private let size: Int
    private var received: [rlhf_mpi_request?]
    private let inbox: UnsafeMutablePointer<Int64>
    private let outbox: UnsafeMutablePointer<UInt8>
    private let question = UnsafeMutablePointer<Int64>.allocate(capacity: 1)

    /// Listens on `comm` (a split communicator's messages never meet the world's: MPI keeps them apart).
    init(comm: rlhf_mpi_comm?, rank: Int, size: Int) {
        self.comm = comm
        self.rank = rank
        self.size = size
        received = Array(repeating: nil, count: size)
        inbox = .allocate(capacity: size)
        outbox = .allocate(capacity: size * Self.answerBytes)
        for peer in 0..<size where peer != rank { listen(to: peer) }
    }

    // The buffers live as long as the process: MPI may still be sending from an outbox after MPI_Request_free.

    /// Answers every question that has arrived with `sequence` and `operation`.
    func answer(sequence: Int, operation: String) {
        for peer in 0..<size where received[peer] != nil {
            var done: Int32 = 0
            guard rlhf_mpi_test(&received[peer], &done) == 0, done != 0 else { continue }
            received[peer] = nil
            let slot = outbox + peer * Self.answerBytes
            Self.encode(sequence: sequence, operation: operation, into: slot)
            var send: rlhf_mpi_request? = nil
            if rlhf_mpi_isend(comm, slot, Int32(Self.answerBytes), Int32(peer), Self.answerTag, &send) == 0 {
                _ = rlhf_mpi_request_free(&send)
            }
            listen(to: peer)
        }
    }

    /// Asks every other rank where it is and waits up to `grace` seconds for the answers (answering questions
    /// meanwhile). Returns each peer's answer, nil for those that gave none.
    func ask(sequence: Int, operation: String, grace: Double) -> [Int: ProbeAnswer?] {
        question.pointee = Int64(sequence)
        let replies = UnsafeMutablePointer<UInt8>.allocate(capacity: size * Self.answerBytes)
        var pending: [Int: rlhf_mpi_request?] = [:]
        for peer in 0..<size where peer != rank {
            var send: rlhf_mpi_request? = nil
            if rlhf_mpi_isend(comm, question, 8, Int32(peer), Self.questionTag, &send) == 0 {
                _ = rlhf_mpi_request_free(&send)
            }
            var receive: rlhf_mpi_request? = nil
            if rlhf_mpi_irecv(
                comm, replies + peer * Self.answerBytes, Int32(Self.answerBytes), Int32(peer), Self.answerTag, &receive)
                == 0
            {
                pending[peer] = receive
            }
        }
        var answers: [Int: ProbeAnswer?] = [:]
        for peer in 0..<size where peer != rank { answers[peer] = .some(nil) }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(grace * 1e9)
        while !pending.isEmpty && DispatchTime.now().uptimeNanoseconds < deadline {
            for peer in Array(pending.keys) {
                var request = pending[peer]!
                var done: Int32 = 0
                guard rlhf_mpi_test(&request, &done) == 0 else { pending[peer] = nil; continue }
                if done != 0 {
                    pending[peer] = nil
                    answers[peer] = Self.decode(replies + peer * Self.answerBytes)
                } else {
                    pending[peer] = request
                }
            }
            answer(sequence: sequence, operation: operation)
            usleep(2000)
        }
        for (_, request) in pending {
            var request = request
            _ = rlhf_mpi_cancel(&request)
        }
        return answers
    }

    /// Cancels the posted receives (before MPI_Finalize).
    func close() {
        for peer in 0..<size where received[peer] != nil { _ = rlhf_mpi_cancel(&received[peer]) }
    }

    private func listen(to peer: Int) {
        var request: rlhf_mpi_request? = nil
        if rlhf_mpi_irecv(comm, inbox + peer, 8, Int32(peer), Self.questionTag, &request) == 0 {
            received[peer] = request
        }
    }

    static func encode(sequence: Int, operation: String, into slot: UnsafeMutablePointer<UInt8>) {
        var number = Int64(sequence)
        withUnsafeBytes(of: &number) { slot.update(from: $0.bindMemory(to: UInt8.self).baseAddress!, count: 8) }
        let text = Array(operation.utf8.prefix(answerBytes - 9))
        text.withUnsafeBufferPointer { (slot + 8).update(from: $0.baseAddress!, count: text.count) }
        slot[8 + text.count] = 0
    }

    static func decode(_ slot: UnsafeMutablePointer<UInt8>) -> ProbeAnswer {
        var number: Int64 = 0
        withUnsafeMutableBytes(of: &number) { $0.copyMemory(from: UnsafeRawBufferPointer(start: slot, count: 8)) }
        var length = 0
        while length < answerBytes - 8 && slot[8 + length] != 0 { length += 1 }
        let text = String(decoding: UnsafeBufferPointer(start: slot + 8, count: length), as: UTF8.self)
        return ProbeAnswer(sequence: Int(number), operation: text)
    }
}
