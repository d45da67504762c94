using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthPlatform.WebApi.Http;

/// <summary>snake_case both ways, unknown fields refused, instants as ISO-8601 UTC (SPEC section 1).</summary>
public static class JsonDefaults
{
    public static JsonSerializerOptions Options { get; } = Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.MaxDepth = 16;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        if (!options.Converters.OfType<UtcInstantConverter>().Any())
        {
            options.Converters.Add(new UtcInstantConverter());
        }

        return options;
    }

    /// <summary>Writes <c>2026-10-14T15:00:00Z</c>; reads any ISO-8601 instant with an offset.</summary>
    public sealed class UtcInstantConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value))
            {
                return value.ToUniversalTime();
            }

            throw new JsonException("Expected an ISO-8601 timestamp such as 2026-10-14T15:00:00Z.");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}
