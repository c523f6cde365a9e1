using Amazon.CDK;
using IvsServerless.Cdk;

// `npx cdk synth|deploy` runs this (see ../../cdk.json, which first publishes the Lambda executable).
var app = new App();
var settings = DeploymentSettings.FromContext(app.Node.TryGetContext);
var assets = app.Node.TryGetContext("lambdaAssetDirectory") as string ?? Path.Combine("artifacts", "lambda");
if (!File.Exists(Path.Combine(assets, "bootstrap")))
{
    await Console.Error.WriteLineAsync($"No Lambda executable at {Path.Combine(assets, "bootstrap")}: publish it first (cdk.json does), " +
        "e.g. dotnet publish src/IvsServerless.Lambda -c Release -r linux-x64 -o artifacts/lambda").ConfigureAwait(false);
    return 1;
}

var stackName = app.Node.TryGetContext("stackName") as string ?? "IvsServerless";
_ = new IvsServerlessStack(app, stackName, new IvsServerlessStackProps(settings, assets), new StackProps
{
    Description = "IvsServerless: a serverless backend for Amazon IVS Real-Time apps",
});
app.Synth();
return 0;
