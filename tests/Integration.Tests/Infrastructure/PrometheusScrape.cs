using System.Globalization;
using System.Text;

namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>
/// One answer of a Prometheus scrape endpoint (text exposition format 0.0.4), parsed into
/// samples: a name, its labels and its value. Written out here, independent of the exporter.
/// </summary>
public sealed class PrometheusScrape
{
    private PrometheusScrape(string text, IReadOnlyList<Sample> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<Sample> Samples { get; }

    public static async Task<PrometheusScrape> ReadAsync(HttpClient client, string path = "/metrics")
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return Parse(text);
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            samples.Add(ParseSample(line));
        }

        return new PrometheusScrape(text, samples);
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/>; 0 when none.</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>The label values that the samples named <paramref name="name"/> have for <paramref name="label"/>.</summary>
    public IReadOnlySet<string> LabelValues(string name, string label) =>
        Samples.Where(s => s.Name == name && s.Labels.ContainsKey(label)).Select(s => s.Labels[label]).ToHashSet(StringComparer.Ordinal);

    private static Sample ParseSample(string line)
    {
        var nameEnd = line.IndexOfAny(['{', ' ']);
        if (nameEnd <= 0)
        {
            throw new FormatException($"Not a sample: {line}");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var pos = nameEnd;
        if (line[pos] == '{')
        {
            pos++;
            while (line[pos] != '}')
            {
                var equals = line.IndexOf('=', pos);
                var label = line[pos..equals].Trim().TrimStart(',').Trim();
                pos = equals + 1;
                if (line[pos] != '"')
                {
                    throw new FormatException($"Label {label} has no quoted value: {line}");
                }

                var value = new StringBuilder();
                for (pos++; line[pos] != '"'; pos++)
                {
                    value.Append(line[pos] != '\\' ? line[pos] : line[++pos] switch { 'n' => '\n', var c => c });
                }

                labels[label] = value.ToString();
                pos++;
                while (line[pos] is ',' or ' ')
                {
                    pos++;
                }
            }

            pos++;
        }

        var fields = line[pos..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var number = fields[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var f => double.Parse(f, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(line[..nameEnd], labels, number);
    }

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
