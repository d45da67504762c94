using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions.Serialization;

namespace AuthPlatform.Cli;

/// <summary>Results as a plain table (or key/value lines) for people, or as the API's own JSON for scripts (<c>--json</c>).</summary>
internal sealed class Output(CliEnvironment env, bool json)
{
    public bool Json => json;

    /// <summary>An API model or list of them as the API's JSON (snake_case), on stdout.</summary>
    public async Task JsonAsync<T>(T value)
        where T : IParsable
    {
        env.Out.WriteLine(await KiotaJsonSerializer.SerializeAsStringAsync(value));
    }

    public async Task JsonAsync<T>(IEnumerable<T> values)
        where T : IParsable
    {
        env.Out.WriteLine(await KiotaJsonSerializer.SerializeAsStringAsync(values));
    }

    public void JsonObject(JsonObject value) => env.Out.WriteLine(value.ToJsonString());

    /// <summary>Columns padded to the widest cell; an empty list says so.</summary>
    public void Table(string[] headers, IEnumerable<string?[]> rows, string empty)
    {
        var all = rows.Select(r => r.Select(c => c ?? "-").ToArray()).ToList();
        if (all.Count == 0)
        {
            env.Out.WriteLine(empty);
            return;
        }

        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Max(r => r[i].Length))).ToArray();
        env.Out.WriteLine(Line(headers, widths));
        foreach (var row in all)
        {
            env.Out.WriteLine(Line(row, widths));
        }
    }

    /// <summary>Lines of <c>name: value</c>.</summary>
    public void Fields(params (string Name, string? Value)[] fields)
    {
        var width = fields.Max(f => f.Name.Length) + 1;
        foreach (var (name, value) in fields)
        {
            env.Out.WriteLine($"{(name + ":").PadRight(width)} {value ?? "-"}");
        }
    }

    public void Message(string text) => env.Out.WriteLine(text);

    /// <summary>One line on stderr: <c>error: message (code)</c>, or in JSON mode <c>{"error": {...}}</c>.</summary>
    public void Error(int exitCode, string message, string? code = null, int? status = null)
    {
        if (json)
        {
            var error = new JsonObject { ["code"] = code ?? DefaultCode(exitCode), ["message"] = message, ["exit_code"] = exitCode };
            if (status is { } s)
            {
                error["status"] = s;
            }

            env.Error.WriteLine(new JsonObject { ["error"] = error }.ToJsonString());
        }
        else
        {
            env.Error.WriteLine($"error: {OneLine(message)}{(code is null ? "" : $" ({code})")}");
        }
    }

    public static string When(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    public static string List(IEnumerable<string>? items) => items is null ? "-" : string.Join(' ', items);

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string DefaultCode(int exitCode) => exitCode switch
    {
        ExitCodes.Usage => "usage",
        ExitCodes.NotSignedIn => "not_signed_in",
        ExitCodes.Unavailable => "unavailable",
        _ => "error",
    };
}
