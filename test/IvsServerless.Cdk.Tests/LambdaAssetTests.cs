namespace IvsServerless.Cdk.Tests;

public sealed class LambdaAssetTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ivs-asset-");

    public void Dispose() => _dir.Delete(recursive: true);

    private void WriteBootstrap(byte machine)
    {
        var header = new byte[64];
        "\u007fELF"u8.CopyTo(header);
        header[18] = machine;
        File.WriteAllBytes(Path.Combine(_dir.FullName, "bootstrap"), header);
    }

    [Fact]
    public void A_missing_executable_names_the_publish_command()
    {
        Assert.Contains(
            "dotnet publish src/IvsServerless.Lambda -c Release -r linux-x64", LambdaAsset.Problem(_dir.FullName, "x86_64"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void An_executable_for_the_configured_architecture_is_accepted()
    {
        WriteBootstrap(0x3E);
        Assert.Null(LambdaAsset.Problem(_dir.FullName, "x86_64"));
        WriteBootstrap(0xB7);
        Assert.Null(LambdaAsset.Problem(_dir.FullName, "arm64"));
    }

    [Fact]
    public void An_executable_for_the_other_architecture_or_no_elf_at_all_is_refused()
    {
        WriteBootstrap(0x3E);
        Assert.Contains("-r linux-arm64", LambdaAsset.Problem(_dir.FullName, "arm64"), StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_dir.FullName, "bootstrap"), "#!/bin/sh\n");
        Assert.Contains("not a Linux executable", LambdaAsset.Problem(_dir.FullName, "x86_64"), StringComparison.Ordinal);
    }
}
