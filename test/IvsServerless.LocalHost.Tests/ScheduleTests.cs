using IvsServerless.LocalHost.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.LocalHost.Tests;

/// <summary>
/// The reconciler runs on the host's schedule, on the host's clock. A second host on the shared DynamoDB Local
/// (its own table) with a fake clock: no JVM of its own, and time moves only when the test says.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class ScheduleTests(LocalHostFixture local)
{
    [Fact]
    public async Task The_reconciler_runs_each_interval_of_the_host_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var log = new CapturingStream();
        await using var host = await LocalHost.StartAsync(
            LocalHostOptions.OnFreePorts(local.Host.DynamoDbUrl, "schedule-" + Guid.NewGuid().ToString("N")[..12], time) with
            {
                ReconcilerInterval = TimeSpan.FromSeconds(10),
                FunctionLog = log,
            });
        Assert.True(host.ReconcilerScheduled);
        Assert.Contains("reconciler", host.Functions);

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.DoesNotContain("Reconciler run finished", log.Text, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(1));

        await LocalHostFixture.EventuallyAsync(
            () => Task.FromResult(log.Text), t => t.Contains("Reconciler run finished", StringComparison.Ordinal),
            "the reconciler ran once the interval elapsed");
        Assert.Contains("\"level\":\"INFO\"", log.Text, StringComparison.Ordinal);
    }
}
