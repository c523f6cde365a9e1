namespace IvsServerless.Deployment.Settings;

/// <summary>What every function has: the one table, and the tag that marks this deployment's IVS resources.</summary>
public sealed record TableSettings(string TableName, string DeploymentTag)
{
    public IEnumerable<KeyValuePair<string, string>> Variables() =>
        EnvironmentWriter.Set(("TABLE_NAME", TableName), ("DEPLOYMENT_TAG", DeploymentTag));

    public static TableSettings Read(EnvironmentReader environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new TableSettings(environment.Required("TABLE_NAME"), environment.Required("DEPLOYMENT_TAG"));
    }
}
