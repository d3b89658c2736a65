import Logging
@_spi(RingwireInternal) import RingwireCodecs
@_spi(RingwireInternal) import RingwireTransport

/// The transport's connection, as sessions see it. Its members are `Connection`'s own, except the
/// worker's clock, log and confinement check, reached here so sessions never see the worker.
extension Connection: SessionConnection {
    /// Identity of this connection, valid across threads and never reused for a later connection.
    package var id: ConnectionID {
        ConnectionID(worker: UInt16(truncatingIfNeeded: worker.index), slot: slot, generation: generation)
    }

    /// The owning worker's loop-turn clock.
    package var now: Int64 { worker.now }

    package func log(_ kind: ThrottledLog.Kind, _ level: Logger.Level, _ message: @autoclosure () -> Logger.Message) {
        worker.log(kind, level, message())
    }

    @inline(__always)
    package func assertConfined() { worker.assertConfined() }
}
