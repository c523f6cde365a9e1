using System.Net;
using System.Net.Sockets;
using IvsServerless.Core.Tokens;
using IvsServerless.Deployment.Functions;

namespace IvsServerless.LocalHost.Tests;

/// <summary>Starting: settings from flags and environment, and a clear refusal when a port is taken.</summary>
public sealed class StartupTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Defaults_are_the_documented_ports()
    {
        var (options, error, help) = CommandLine.Parse([], NoEnvironment);

        Assert.Null(error);
        Assert.False(help);
        Assert.Equal((3000, 3001, 4566, 8000), (options!.ApiPort, options.ConsolePort, options.EmulatorPort, options.DynamoDbPort));
        Assert.True(options.StartDynamoDbLocal);
        Assert.Equal(0, options.S3Port);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ReconcilerInterval);
    }

    [Fact]
    public void Flags_win_over_environment_variables_which_win_over_defaults()
    {
        var environment = new Dictionary<string, string?> { ["IVS_LOCAL_API_PORT"] = "4000", ["IVS_LOCAL_CONSOLE_PORT"] = "4001" };

        var (options, error, _) = CommandLine.Parse(
            ["--api-port", "5000", "--emulator-port=0", "--reconciler-seconds", "3", "--s3-port", "9123"], environment.GetValueOrDefault);

        Assert.Null(error);
        Assert.Equal((5000, 4001, 0, 8000), (options!.ApiPort, options.ConsolePort, options.EmulatorPort, options.DynamoDbPort));
        Assert.Equal(TimeSpan.FromSeconds(3), options.ReconcilerInterval);
        Assert.Equal(9123, options.S3Port);
    }

    [Fact]
    public void Tokens_are_self_signed_unless_the_flag_or_its_variable_says_api()
    {
        Assert.Equal(TokenMintingMode.SelfSigned, CommandLine.Parse([], NoEnvironment).Options!.TokenMode);
        Assert.Equal(TokenMintingMode.Api, CommandLine.Parse(["--token-mode", "api"], NoEnvironment).Options!.TokenMode);
        var environment = new Dictionary<string, string?> { ["IVS_LOCAL_TOKEN_MODE"] = "api" };
        Assert.Equal(TokenMintingMode.Api, CommandLine.Parse([], environment.GetValueOrDefault).Options!.TokenMode);
        Assert.Equal(
            TokenMintingMode.SelfSigned,
            CommandLine.Parse(["--token-mode=self-signed"], environment.GetValueOrDefault).Options!.TokenMode);
    }

    [Fact]
    public void Events_are_delivered_in_batches_as_deployed_unless_immediate_is_asked_for()
    {
        Assert.Equal(EventDelivery.Batched, CommandLine.Parse([], NoEnvironment).Options!.EventDelivery);
        Assert.Equal(EventDelivery.Immediate, CommandLine.Parse(["--event-delivery", "immediate"], NoEnvironment).Options!.EventDelivery);
        var environment = new Dictionary<string, string?> { ["IVS_LOCAL_EVENT_DELIVERY"] = "immediate" };
        Assert.Equal(EventDelivery.Immediate, CommandLine.Parse([], environment.GetValueOrDefault).Options!.EventDelivery);
    }

    [Fact]
    public void A_DynamoDB_endpoint_replaces_DynamoDB_Local()
    {
        var (options, _, _) = CommandLine.Parse(["--dynamodb-endpoint", "http://127.0.0.1:8111"], NoEnvironment);

        Assert.False(options!.StartDynamoDbLocal);
        Assert.Equal(new Uri("http://127.0.0.1:8111"), options.DynamoDbEndpoint);
    }

    [Theory]
    [InlineData("--api-port", "70000")]
    [InlineData("--api-port", "-1")]
    [InlineData("--api-port", "http")]
    [InlineData("--reconciler-seconds", "0")]
    [InlineData("--token-mode", "jwt")]
    [InlineData("--event-delivery", "fast")]
    [InlineData("--s3-port", "x")]
    [InlineData("--dynamodb-endpoint", "ftp://x")]
    [InlineData("--console-port", "3000")]
    public void Bad_values_are_refused_naming_the_flag(string flag, string value)
    {
        var (options, error, _) = CommandLine.Parse([flag, value], NoEnvironment);

        Assert.Null(options);
        Assert.Contains(flag == "--console-port" ? "cannot share port 3000" : flag, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_flags_and_missing_values_are_refused_and_help_is_help()
    {
        Assert.Contains("--nope", CommandLine.Parse(["--nope"], NoEnvironment).Error, StringComparison.Ordinal);
        Assert.Contains("needs a value", CommandLine.Parse(["--api-port"], NoEnvironment).Error, StringComparison.Ordinal);
        Assert.True(CommandLine.Parse(["--help"], NoEnvironment).Help);
    }

    [Theory]
    [InlineData("API front")]
    [InlineData("console")]
    [InlineData("IVS emulator")]
    [InlineData("DynamoDB Local")]
    [InlineData("local S3")]
    public async Task A_taken_port_is_refused_naming_the_part_before_anything_starts(string component)
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var options = LocalHostOptions.OnFreePorts() with
        {
            ApiPort = component == "API front" ? port : 0,
            ConsolePort = component == "console" ? port : 0,
            EmulatorPort = component == "IVS emulator" ? port : 0,
            DynamoDbPort = component == "DynamoDB Local" ? port : 0,
            S3Port = component == "local S3" ? port : 0,
        };

        var refused = await Assert.ThrowsAsync<PortInUseException>(() => LocalHost.StartAsync(options));

        Assert.Equal(component, refused.Component);
        Assert.Equal(port, refused.Port);
        Assert.Contains($"Port {port} for the {component} is in use", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_failing_after_the_JVM_started_stops_it_and_everything_else()
    {
        if (!OperatingSystem.IsLinux())
        {
            // /proc is how this test proves the JVM is gone.
            return;
        }

        int Free()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        // The ports are chosen here (to look for the JVM afterwards) and freed before the host binds them, so another
        // test's engine may take one in between; that start fails before the JVM is ready and is tried on new ports.
        int dynamoPort, emulatorPort;
        Exception error;
        var attempt = 0;
        do
        {
            (dynamoPort, emulatorPort) = (Free(), Free());
            // DynamoDB refuses the name (3-255 of a-z A-Z 0-9 _ . -) only when the table is created: after the JVM is ready.
            var options = LocalHostOptions.OnFreePorts() with { DynamoDbPort = dynamoPort, EmulatorPort = emulatorPort, TableName = "no!" };
            error = await Assert.ThrowsAnyAsync<Exception>(() => LocalHost.StartAsync(options));
        }
        while (++attempt < 3 && IsPortRace(error));

        Assert.Contains("Invalid table/index name", error.Message, StringComparison.Ordinal);
        Assert.Empty(CommandTests.JavaOnPort(dynamoPort));
        Assert.True(LocalUrls.IsFree(emulatorPort), "the emulator was stopped");
    }

    private static bool IsPortRace(Exception error) =>
        error is PortInUseException
        || error.Message.Contains("Address already in use", StringComparison.Ordinal);
}
