namespace IvsServerless.Deployment.Settings;

/// <summary>
/// Where the AWS clients connect. In Lambda only <c>AWS_REGION</c> is set (by Lambda itself, never by the stack); the
/// local host and the benchmarks point the clients at the local engines.
/// </summary>
public sealed record AwsEndpointSettings(string Region)
{
    public const string RegionVariable = "AWS_REGION";

    /// <summary><c>IVS_ENDPOINT</c>: an IVS real-time endpoint instead of AWS (the emulator).</summary>
    public Uri? IvsEndpoint { get; init; }

    /// <summary><c>DYNAMODB_ENDPOINT</c>: a DynamoDB endpoint instead of AWS (DynamoDB Local).</summary>
    public Uri? DynamoDbEndpoint { get; init; }

    /// <summary><c>SSM_ENDPOINT</c>: an SSM-compatible endpoint instead of AWS (tests).</summary>
    public Uri? SsmEndpoint { get; init; }

    public IEnumerable<KeyValuePair<string, string>> Variables() => EnvironmentWriter.Set(
        (RegionVariable, Region),
        ("IVS_ENDPOINT", IvsEndpoint),
        ("DYNAMODB_ENDPOINT", DynamoDbEndpoint),
        ("SSM_ENDPOINT", SsmEndpoint));

    public static AwsEndpointSettings Read(EnvironmentReader environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new AwsEndpointSettings(environment.Required(RegionVariable))
        {
            IvsEndpoint = environment.Url("IVS_ENDPOINT"),
            DynamoDbEndpoint = environment.Url("DYNAMODB_ENDPOINT"),
            SsmEndpoint = environment.Url("SSM_ENDPOINT"),
        };
    }
}
