namespace IvsServerless.Cdk;

/// <summary>
/// The published Lambda executable. Checked before synthesis: a missing binary, or one built for the other
/// architecture, would otherwise deploy and fail on the first invocation.
/// </summary>
public static class LambdaAsset
{
    public const string DefaultDirectory = "artifacts/lambda";

    /// <summary>Null when <paramref name="directory"/> holds a Linux <c>bootstrap</c> for <paramref name="architecture"/>; else why
    /// not.</summary>
    public static string? Problem(string directory, string architecture)
    {
        var path = Path.Combine(directory, "bootstrap");
        var rid = architecture == "arm64" ? "linux-arm64" : "linux-x64";
        var publish = $"dotnet publish src/IvsServerless.Lambda -c Release -r {rid} -o {directory}";
        if (!File.Exists(path))
        {
            return $"No Lambda executable at {path}: publish it first ({publish}).";
        }

        Span<byte> header = stackalloc byte[20];
        using (var file = File.OpenRead(path))
        {
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length
                || header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
            {
                return $"{path} is not a Linux executable: publish it with {publish}.";
            }
        }

        // ELF e_machine (little-endian) at offset 18: 0x3E x86-64, 0xB7 AArch64.
        var machine = header[18] | (header[19] << 8);
        var expected = architecture == "arm64" ? 0xB7 : 0x3E;
        return machine == expected ? null : $"{path} is not built for {architecture}: publish it with {publish}.";
    }
}
