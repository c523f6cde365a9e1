namespace IvsServerless.Local;

/// <summary>Starting a local engine (a child process): one that fails to start is disposed, so no process is left behind.</summary>
internal static class EngineStart
{
    public static async Task<TEngine> StartOrDisposeAsync<TEngine>(
        TEngine engine, Func<CancellationToken, Task> start, CancellationToken cancellationToken) where TEngine : IDisposable
    {
        try
        {
            await start(cancellationToken);
            return engine;
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }
}
