// The lower layers' types that are part of Ringwire's API (requests, responses, headers, close codes,
// deflate settings; the ring setup error), so an application imports `Ringwire` alone.
@_exported @_spi(RingwireInternal) public import RingwireCodecs

@_exported public import enum RingwireTransport.RingSetupError
