namespace IvsServerless.Core.Storage;

/// <summary>
/// The table could not be reached at all even after the client's own retries: the connection was refused, reset or
/// dropped before an answer. Adapters throw this instead of the transport's exceptions, so the API can say that its
/// data store (not the video service) is out of reach, without naming the endpoint.
/// </summary>
public sealed class StoreUnreachableException(string message, Exception? innerException = null) : Exception(message, innerException);
