using System.Net;

namespace IvsServerless.Lambda.Runtime;

/// <summary>
/// The custom-runtime loop of the bootstrap executable: select the handler named by <c>_HANDLER</c>,
/// then fetch, invoke and answer one invocation at a time until cancelled.
/// </summary>
public static class LambdaRuntime
{
    public const string TraceIdEnvironmentVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Exit code after a reported init error; Lambda discards the environment either way.</summary>
    public const int InitErrorExitCode = 1;

    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Runs with the settings Lambda puts in the environment. Returns only on init error or cancellation.</summary>
    public static Task<int> RunAsync(LambdaHandlerRegistry registry, CancellationToken ct = default) =>
        RunAsync(registry, LambdaRuntimeOptions.FromEnvironment(), ct);

    /// <returns>0 when stopped through <paramref name="ct"/>, <see cref="InitErrorExitCode"/> after an init error.</returns>
    /// <exception cref="HttpRequestException">The Runtime API failed or asked the runtime to exit.</exception>
    public static async Task<int> RunAsync(LambdaHandlerRegistry registry, LambdaRuntimeOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.RuntimeApi))
        {
            throw new InvalidOperationException(
                "AWS_LAMBDA_RUNTIME_API is not set: run inside Lambda or point it at a Runtime API emulator.");
        }

        var logger = new LambdaJsonLogger(options.LogOutput ?? Console.OpenStandardOutput(), options.MinimumLogLevel, options.TimeProvider);
        using var api = new RuntimeApiClient(options.RuntimeApi);
        try
        {
            var handler = await InitializeAsync(registry, options, api, logger, ct);
            if (handler is null)
            {
                return InitErrorExitCode;
            }

            while (true)
            {
                var invocation = await api.NextAsync(ct);
                await InvokeAsync(handler, invocation, options, api, logger, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 0;
        }
    }

    private static async Task<ILambdaHandler?> InitializeAsync(
        LambdaHandlerRegistry registry, LambdaRuntimeOptions options, RuntimeApiClient api, ILambdaLogger logger, CancellationToken ct)
    {
        string errorType, errorMessage;
        if (registry.TryGetFactory(options.Handler, out var factory))
        {
            try
            {
                return factory();
            }
            catch (Exception ex)
            {
                logger.Log(LambdaLogLevel.Critical, ex, "Handler initialization failed.");
                (errorType, errorMessage) = (ex.GetType().Name, ex.Message);
            }
        }
        else
        {
            var known = string.Join(", ", registry.Names);
            errorType = "Runtime.NoSuchHandler";
            errorMessage = string.IsNullOrEmpty(options.Handler)
                ? $"No handler configured (_HANDLER is empty). Known handlers: {known}."
                : $"Unknown handler '{options.Handler}'. Known handlers: {known}.";
            logger.Log(LambdaLogLevel.Critical, errorMessage);
        }

        var status = await api.PostInitErrorAsync(errorType, errorMessage, ct);
        if (status != HttpStatusCode.Accepted)
        {
            logger.Log(
                LambdaLogLevel.Error, "Runtime API did not accept the init error.", KeyValuePair.Create<string, object?>(
                "statusCode", (int)status));
        }

        return null;
    }

    private static async Task InvokeAsync(
        ILambdaHandler handler, Invocation invocation, LambdaRuntimeOptions options, RuntimeApiClient api,
        LambdaJsonLogger jsonLogger, CancellationToken ct)
    {
        ILambdaLogger logger = jsonLogger;
        // Set or clear, so a previous invocation's trace header never leaks into this one.
        Environment.SetEnvironmentVariable(TraceIdEnvironmentVariable, invocation.TraceId);
        jsonLogger.SetInvocation(invocation.RequestId, invocation.TraceId);
        try
        {
            var deadline = invocation.DeadlineMs is { } ms
                ? DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(ms, 0, DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()))
                : DateTimeOffset.MaxValue;
            using var deadlineCts = CreateDeadlineSource(deadline, options);
            using var invocationCts = CancellationTokenSource.CreateLinkedTokenSource(ct, deadlineCts.Token);
            var context = new LambdaContext
            {
                AwsRequestId = invocation.RequestId,
                FunctionName = options.FunctionName,
                FunctionVersion = options.FunctionVersion,
                InvokedFunctionArn = invocation.InvokedFunctionArn ?? "",
                MemoryLimitInMB = options.MemoryLimitInMB,
                LogGroupName = options.LogGroupName,
                LogStreamName = options.LogStreamName,
                Deadline = deadline,
                TraceId = invocation.TraceId ?? "",
                Logger = logger,
                TimeProvider = options.TimeProvider,
            };

            ReadOnlyMemory<byte> result;
            try
            {
                result = await handler.HandleAsync(invocation.Payload, context, invocationCts.Token);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.Log(LambdaLogLevel.Error, ex, "Invocation failed.");
                EnsureAccepted(
                    await api.PostErrorAsync(invocation.RequestId, ex.GetType().Name, ex.Message, ct), "invocation error", logger);
                return;
            }

            EnsureAccepted(await api.PostResponseAsync(invocation.RequestId, result, ct), "invocation response", logger);
        }
        finally
        {
            jsonLogger.SetInvocation(null, null);
        }
    }

    private static CancellationTokenSource CreateDeadlineSource(DateTimeOffset deadline, LambdaRuntimeOptions options)
    {
        if (deadline == DateTimeOffset.MaxValue)
        {
            return new CancellationTokenSource();
        }

        var delay = deadline - options.DeadlineMargin - options.TimeProvider.GetUtcNow();
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxTimerDelay ? MaxTimerDelay : delay;
        return new CancellationTokenSource(delay, options.TimeProvider);
    }

    // 400/403/413 concern this invocation only; a 5xx means the environment is broken and,
    // per the Runtime API, the runtime should exit promptly.
    private static void EnsureAccepted(HttpStatusCode status, string what, ILambdaLogger logger)
    {
        if (status == HttpStatusCode.Accepted)
        {
            return;
        }

        if ((int)status >= 500)
        {
            throw new HttpRequestException($"Runtime API answered {(int)status} to the {what}.", null, status);
        }

        logger.Log(
            LambdaLogLevel.Error, $"Runtime API rejected the {what}.", KeyValuePair.Create<string, object?>("statusCode", (int)status));
    }
}
