using Amazon.CDK;
using Amazon.CDK.AWS.Cognito;
using Constructs;

namespace IvsServerless.Cdk.Constructs;

public sealed record UserDirectoryProps(bool AllowSelfSignUp, RemovalPolicy RemovalPolicy);

/// <summary>
/// The default sign-in when no external OIDC issuer is configured: a Cognito user pool (email sign-in) and one public
/// app client (no secret: it lives in mobile and browser apps) using SRP. Its ID tokens carry <c>sub</c>, which the API uses as the user
/// id.
/// </summary>
public sealed class UserDirectory : Construct
{
    public UserPool UserPool { get; }

    public UserPoolClient AppClient { get; }

    /// <summary>The issuer the JWT authorizer trusts (<c>iss</c> of the pool's tokens).</summary>
    public string Issuer { get; }

    public UserDirectory(Construct scope, string id, UserDirectoryProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        UserPool = new UserPool(this, "UserPool", new UserPoolProps
        {
            SelfSignUpEnabled = props.AllowSelfSignUp,
            SignInAliases = new SignInAliases { Email = true },
            AutoVerify = new AutoVerifiedAttrs { Email = true },
            AccountRecovery = AccountRecovery.EMAIL_ONLY,
            PasswordPolicy = new PasswordPolicy
            {
                MinLength = 12,
                RequireDigits = true,
                RequireLowercase = true,
                RequireUppercase = true,
                RequireSymbols = false
            },
            RemovalPolicy = props.RemovalPolicy,
        });

        AppClient = UserPool.AddClient("AppClient", new UserPoolClientOptions
        {
            GenerateSecret = false,
            AuthFlows = new AuthFlow { UserSrp = true },

            // Apps sign in with SRP (Amplify, the Cognito SDKs); no hosted UI, so no OAuth redirects to keep safe.
            DisableOAuth = true,
            PreventUserExistenceErrors = true,
            IdTokenValidity = Duration.Hours(1),
            AccessTokenValidity = Duration.Hours(1),
            RefreshTokenValidity = Duration.Days(30),
        });

        Issuer = $"https://cognito-idp.{Stack.Of(this).Region}.{Stack.Of(this).UrlSuffix}/{UserPool.UserPoolId}";
    }
}
