using System.Globalization;
using IvsServerless.Deployment.Settings;
using IvsServerless.Infrastructure.DynamoDb;
using IvsServerless.IvsEmulator;
using IvsServerless.Testing;

namespace IvsServerless.Benchmarks.Support;

/// <summary>
/// The local engines the function talks to: the IVS emulator in this process (over loopback HTTP) and the
/// process-wide DynamoDB Local with a fresh table in the production layout.
/// </summary>
public sealed class LocalEngines : IAsyncDisposable
{
    public const string Region = "us-east-1";

    private LocalEngines(EmulatorServer ivs, DynamoDbLocal dynamoDb, string tableName)
    {
        Ivs = ivs;
        DynamoDb = dynamoDb;
        TableName = tableName;
    }

    public EmulatorServer Ivs { get; }

    public DynamoDbLocal DynamoDb { get; }

    public string TableName { get; }

    public static async Task<LocalEngines> StartAsync(string tablePrefix)
    {
        var dynamoDb = await DynamoDbLocal.GetSharedAsync();
        var table = await dynamoDb.CreateUniqueTableAsync(tablePrefix, TableLayout.Definition);
        var ivs = await EmulatorServer.StartAsync(options: new EmulatorOptions { Region = Region });
        return new LocalEngines(ivs, dynamoDb, table);
    }

    /// <summary>The environment of a function container pointed at these engines (see the deployment contract's settings
    /// records).</summary>
    public Dictionary<string, string?> FunctionEnvironment(string runtimeApi) => new(StringComparer.Ordinal)
    {
        ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi,
        ["_HANDLER"] = "api",
        ["AWS_REGION"] = Region,
        ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ["TABLE_NAME"] = TableName,
        ["DEPLOYMENT_TAG"] = "benchmarks",
        ["IVS_ENDPOINT"] = Ivs.BaseAddress.ToString(),
        ["DYNAMODB_ENDPOINT"] = DynamoDb.ServiceUrl,

        // One viewer mints thousands of tokens here: the highest limit, so the counting is paid but never refused.
        ["QUOTA_TOKEN_MINTS_PER_MINUTE"] = QuotaSettings.MaxTokenMintsPerMinute.ToString(CultureInfo.InvariantCulture),
        ["QUOTA_STAGES_PER_OWNER"] = QuotaSettings.MaxStagesPerOwner.ToString(CultureInfo.InvariantCulture),
    };

    public async ValueTask DisposeAsync() => await Ivs.DisposeAsync();
}
