using Amazon.CDK;

namespace IvsServerless.Cdk.Access;

/// <summary>ARN patterns of the IVS real-time resource types, in this stack's account and region.</summary>
public static class IvsArns
{
    public static string Stages(Stack stack) => Of(stack, "stage/*");

    public static string Compositions(Stack stack) => Of(stack, "composition/*");

    public static string PublicKeys(Stack stack) => Of(stack, "public-key/*");

    public static string IngestConfigurations(Stack stack) => Of(stack, "ingest-configuration/*");

    private static string Of(Stack stack, string resource)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return $"arn:{stack.Partition}:ivs:{stack.Region}:{stack.Account}:{resource}";
    }
}
