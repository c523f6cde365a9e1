using Amazon.Runtime;

namespace IvsServerless.IvsRealTime.Tests;

internal sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

internal static class TestClients
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string StageArn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234";
    public const string EncodedStageArn = "arn%3Aaws%3Aivs%3Aus-east-1%3A123456789012%3Astage%2FabcdEFGH1234";
    public static readonly DateTimeOffset Now = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static IvsRealTimeClientOptions Options(int maxAttempts = 3) => new()
    {
        Region = "us-east-1",
        ServiceUrl = "http://127.0.0.1:4566",
        MaxAttempts = maxAttempts,
    };

    /// <summary>A client whose waits return at once (recorded in <paramref name="delays"/>) and advance the signing clock.</summary>
    public static IvsRealTimeClient Create(
        RecordingHandler handler,
        IvsRealTimeClientOptions? options = null,
        AWSCredentials? credentials = null,
        List<TimeSpan>? delays = null,
        ManualTimeProvider? time = null,
        Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        time ??= new ManualTimeProvider(Now);
        delay ??= (wait, cancellationToken) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            delays?.Add(wait);
            time.Now += TimeSpan.FromSeconds(1);
            return Task.CompletedTask;
        };
        return new IvsRealTimeClient(
            new HttpClient(handler), options ?? Options(), credentials ?? new BasicAWSCredentials(AccessKey, SecretKey), delay, time);
    }
}
