using System.Text.Json;
using System.Text.Json.Serialization;

namespace CalendarConnect.Backend.Web;

/// <summary>
/// One text field of a JSON merge patch (RFC 7396), which means three things: left out (keep it), null (clear it) or a
/// value (replace it). A plain <c>string?</c> cannot tell the first two apart.
/// </summary>
[JsonConverter(typeof(Converter))]
public readonly record struct MergePatchField(bool IsGiven, string? Value)
{
    private sealed class Converter : JsonConverter<MergePatchField>
    {
        public override bool HandleNull => true;

        // GetString refuses any other token (and text that is not valid UTF-16): the binding failure names the field.
        public override MergePatchField Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(true, reader.TokenType == JsonTokenType.Null ? null : reader.GetString());

        public override void Write(Utf8JsonWriter writer, MergePatchField value, JsonSerializerOptions options)
        {
            if (value.Value is null) writer.WriteNullValue();
            else writer.WriteStringValue(value.Value);
        }
    }
}
