using System.Globalization;
using IvsServerless.Core.Tokens;

namespace IvsServerless.Lambda;

/// <summary>
/// Everything a function reads from its environment, validated once at init: a missing or bad setting is an
/// init error naming the variable, not a failure on the first request.
/// </summary>
public sealed record FunctionConfiguration(
    string Region,
    string TableName,
    string DeploymentTag,
    Uri? IvsEndpoint,
    Uri? DynamoDbEndpoint,
    TokenPolicyOptions TokenPolicy,
    string? CompositionStorageConfigurationArn,
    string? CompositionEncoderConfigurationArn)
{
    public static FunctionConfiguration From(Func<string, string?> environment)
    {
        var errors = new List<string>();
        string Required(string name)
        {
            var value = environment(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{name} is required");
            }

            return value ?? "";
        }

        Uri? OptionalUrl(string name)
        {
            var value = environment(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                errors.Add($"{name} must be an absolute http(s) URL");
                return null;
            }

            return url;
        }

        TimeSpan? OptionalMinutes(string name)
        {
            var value = environment(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes < 1)
            {
                errors.Add($"{name} must be a whole number of minutes ≥ 1");
                return null;
            }

            return TimeSpan.FromMinutes(minutes);
        }

        var tokenPolicy = new TokenPolicyOptions();
        tokenPolicy.MaxDuration = OptionalMinutes("TOKEN_MAX_DURATION_MINUTES") ?? tokenPolicy.MaxDuration;
        tokenPolicy.DefaultDuration = OptionalMinutes("TOKEN_DEFAULT_DURATION_MINUTES") ?? TimeSpan.FromTicks(Math.Min(tokenPolicy.DefaultDuration.Ticks, tokenPolicy.MaxDuration.Ticks));

        var configuration = new FunctionConfiguration(
            Required("AWS_REGION"),
            Required("TABLE_NAME"),
            Required("DEPLOYMENT_TAG"),
            OptionalUrl("IVS_ENDPOINT"),
            OptionalUrl("DYNAMODB_ENDPOINT"),
            tokenPolicy,
            NullIfEmpty(environment("COMPOSITION_STORAGE_CONFIGURATION_ARN")),
            NullIfEmpty(environment("COMPOSITION_ENCODER_CONFIGURATION_ARN")));

        try
        {
            tokenPolicy.Validate();
        }
        catch (InvalidOperationException e)
        {
            errors.Add(e.Message);
        }

        if ((configuration.CompositionStorageConfigurationArn is null) != (configuration.CompositionEncoderConfigurationArn is null))
        {
            errors.Add("COMPOSITION_STORAGE_CONFIGURATION_ARN and COMPOSITION_ENCODER_CONFIGURATION_ARN go together");
        }

        return errors.Count == 0
            ? configuration
            : throw new InvalidOperationException("Invalid function configuration: " + string.Join("; ", errors) + ".");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
