using System.Globalization;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>CreateEncoderConfiguration, GetEncoderConfiguration, DeleteEncoderConfiguration, ListEncoderConfigurations.</summary>
public static class EncoderConfigurationOperations
{
    public const int Quota = 20;
    public const int MaxPixels = 1920 * 1080;

    public static void Register(OperationTable table)
    {
        table.Add("CreateEncoderConfiguration", CreateEncoderConfiguration);
        table.Add("GetEncoderConfiguration", GetEncoderConfiguration);
        table.Add("DeleteEncoderConfiguration", DeleteEncoderConfiguration);
        table.Add("ListEncoderConfigurations", ListEncoderConfigurations);
    }

    private static object CreateEncoderConfiguration(OperationContext context, RequestReader input)
    {
        var name = input.String("name", max: 128, pattern: Patterns.Name(), patternText: Patterns.ResourceName) ?? "";
        var video = ReadVideo(input.Object("video"));
        var tags = input.Tags();
        input.ThrowIfInvalid();

        if (context.State.EncoderConfigurations.Count >= Quota)
        {
            throw IvsException.QuotaExceeded($"Limit of {Quota} encoder configurations per region exceeded.");
        }

        var configuration = new EncoderConfigurationRecord
        {
            Arn = context.NewArn("encoder-configuration", ResourceIds.NewId()),
            Name = name,
            Video = video,
            Tags = tags ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };
        context.State.EncoderConfigurations.Add(configuration.Arn, configuration);
        context.State.Taggable.Add(configuration.Arn, configuration);
        return new { encoderConfiguration = ToEncoderConfiguration(configuration) };
    }

    private static object GetEncoderConfiguration(OperationContext context, RequestReader input)
    {
        var arn = ReadArn(input, "arn");
        input.ThrowIfInvalid();
        return new { encoderConfiguration = ToEncoderConfiguration(Find(context, arn!)) };
    }

    private static object DeleteEncoderConfiguration(OperationContext context, RequestReader input)
    {
        var arn = ReadArn(input, "arn");
        input.ThrowIfInvalid();

        var configuration = Find(context, arn!);
        var user = context.State.Compositions.Values.FirstOrDefault(c => c.IsLive && c.UsesEncoderConfiguration(configuration.Arn));
        if (user is not null)
        {
            throw IvsException.Conflict(
                $"Encoder configuration {configuration.Arn} is used by composition {user.Arn}; stop it and wait for STOPPED first.");
        }

        context.State.EncoderConfigurations.Remove(configuration.Arn);
        context.State.Taggable.Remove(configuration.Arn);
        return EmptyResponse.Instance;
    }

    private static object ListEncoderConfigurations(OperationContext context, RequestReader input)
    {
        var nextToken = StageOperations.ReadNextToken(input);
        var maxResults = OperationContext.MaxResults(input, 100, 100);
        input.ThrowIfInvalid();

        var page = context.Pages.Paginate(
            "ListEncoderConfigurations", context.State.EncoderConfigurations.Values, e => e.Arn, nextToken, maxResults);
        return new
        {
            encoderConfigurations = page.Items.Select(e => new { arn = e.Arn, name = e.Name, tags = e.Tags }),
            nextToken = page.NextToken,
        };
    }

    public static object ToEncoderConfiguration(EncoderConfigurationRecord configuration) => new
    {
        arn = configuration.Arn,
        name = configuration.Name,
        video = configuration.Video,
        tags = configuration.Tags,
    };

    public static string? ReadArn(RequestReader input, string name, bool required = true) =>
        input.String(name, required, 1, 128, Patterns.EncoderConfigurationArn());

    /// <summary>The encoder configuration with this ARN, or 404.</summary>
    public static EncoderConfigurationRecord Find(OperationContext context, string arn) =>
        context.State.EncoderConfigurations.TryGetValue(arn, out var configuration)
            ? configuration
            : throw IvsException.NotFound($"Encoder configuration {arn} not found");

    /// <summary>A <c>Video</c> with the documented defaults for missing members. The size rules (even, at most
    /// 1920x1080 pixels) apply to the resulting size, so a lone width can still clash with the default height.</summary>
    private static VideoConfiguration ReadVideo(RequestReader? video)
    {
        var defaults = VideoConfiguration.Default;
        if (video is null)
        {
            return defaults;
        }

        var width = video.Int("width", 2, 1920);
        var height = video.Int("height", 2, 1920);
        var framerate = video.Number("framerate", 1, 60);
        var bitrate = video.Int("bitrate", 1, 8_500_000);

        RequireEven(video, "width", width);
        RequireEven(video, "height", height);
        var size = new VideoConfiguration(
            width ?? defaults.Width, height ?? defaults.Height, framerate ?? defaults.Framerate, bitrate ?? defaults.Bitrate);
        if ((long)size.Width * size.Height > MaxPixels)
        {
            video.Fail("width", $"{size.Width}x{size.Height}",
                $"Member width x height must be less than or equal to {MaxPixels.ToString(CultureInfo.InvariantCulture)} pixels");
        }

        return size;
    }

    private static void RequireEven(RequestReader video, string name, int? value)
    {
        if (value is { } number && number % 2 != 0)
        {
            video.Fail(name, number.ToString(CultureInfo.InvariantCulture), "Member must be an even number");
        }
    }
}
