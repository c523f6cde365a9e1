using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;

namespace IvsServerless.Cdk.Access;

/// <summary>The IVS actions one function's code calls, on which resources.</summary>
public sealed record IvsGrant(IReadOnlyList<string> Actions, IReadOnlyList<string> Resources);

/// <summary>
/// Least privilege, one function at a time: exactly the IVS and DynamoDB actions its code calls, on this stack's
/// table (and its indexes only where the code queries them). Nothing here uses a wildcard action or <c>Resource: "*"</c>.
/// </summary>
public static class FunctionAccess
{
    /// <summary>Item reads, by key only.</summary>
    public static readonly string[] Read = ["dynamodb:GetItem"];

    /// <summary>Key reads and queries (on the table and, where granted, its indexes).</summary>
    public static readonly string[] ReadAndQuery = ["dynamodb:GetItem", "dynamodb:Query"];

    /// <summary>Grants DynamoDB actions on the table; queries on its indexes too when <paramref name="indexQueries"/>.</summary>
    public static void GrantTable(Role role, ITable table, IEnumerable<string> actions, bool indexQueries)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(table);
        var list = actions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "Table",
            Actions = list,
            Resources = [table.TableArn],
        }));
        if (indexQueries && list.Contains("dynamodb:Query"))
        {
            role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "TableIndexes",
                Actions = ["dynamodb:Query"],
                Resources = [table.TableArn + "/index/*"],
            }));
        }
    }

    public static void GrantIvs(Role role, IvsGrant grant, string sid = "Ivs")
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(grant);
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = sid,
            Actions = [.. grant.Actions],
            Resources = [.. grant.Resources],
        }));
    }
}
