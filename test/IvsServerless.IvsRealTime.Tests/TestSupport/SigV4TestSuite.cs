using System.Text;

namespace IvsServerless.IvsRealTime.Tests;

/// <summary>One case of AWS's SigV4 test suite: the raw request (.req) and the expected outputs.</summary>
internal sealed record SigV4SuiteCase(
    string Id, HttpMethod Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, string Body,
    string CanonicalRequest, string StringToSign, string Authorization)
{
    public static readonly string Root = FindRoot();

    /// <summary>Case ids relative to the suite root, e.g. "get-vanilla" or "normalize-path/get-slash".</summary>
    public static IEnumerable<string> AllIds() =>
        Directory.EnumerateFiles(Root, "*.req", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Root, Path.GetDirectoryName(file)!).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    public static SigV4SuiteCase Load(string id)
    {
        var directory = Path.Combine(Root, id);
        var name = Path.GetFileName(directory);
        string Read(string extension) => File.ReadAllText(Path.Combine(directory, name + extension), Encoding.UTF8);

        var lines = Read(".req").Split('\n');
        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ', StringComparison.Ordinal)];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal)];

        var headers = new List<(string Name, string Value)>();
        var i = 1;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            if (char.IsWhiteSpace(lines[i][0]))
            {
                // Obsolete line folding (get-header-value-multiline): the continuation joins the previous value.
                headers[^1] = (headers[^1].Name, headers[^1].Value + " " + lines[i].Trim());
                continue;
            }

            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            headers.Add((lines[i][..colon], lines[i][(colon + 1)..].Trim()));
        }

        var body = i < lines.Length ? string.Join('\n', lines[(i + 1)..]) : "";
        return new SigV4SuiteCase(id, new HttpMethod(method), target, headers, body, Read(".creq"), Read(".sts"), Read(".authz").Trim());
    }

    public string Header(string name) =>
        Headers.First(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The session token the case signs with, if its canonical request carries one.</summary>
    public string? SessionToken =>
        CanonicalRequest.Split('\n').FirstOrDefault(l => l.StartsWith("x-amz-security-token:", StringComparison.Ordinal))?
            ["x-amz-security-token:".Length..];

    /// <summary>The request as an <see cref="HttpRequestMessage"/>, the way the client hands it to the signer.</summary>
    public HttpRequestMessage ToHttpRequest()
    {
        var message = new HttpRequestMessage(Method, new Uri("https://" + Header("Host") + Target));
        if (Body.Length > 0 || Headers.Any(h => h.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
        }

        foreach (var (name, value) in Headers)
        {
            // Host comes from the URI; the token from the credentials (the signer adds and signs it itself).
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)
                || name.Equals("X-Amz-Security-Token", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content!.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    public byte[]? BodyBytes => Body.Length > 0 ? Encoding.UTF8.GetBytes(Body) : null;

    public override string ToString() => Id;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IvsServerless.sln")))
            {
                return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "testdata", "aws-sigv4-test-suite"));
            }
        }

        throw new InvalidOperationException("IvsServerless.sln not found above " + AppContext.BaseDirectory);
    }
}
