using System.Text.Json;
using System.Text.Json.Serialization;

namespace CalendarConnect.Infrastructure.Http;

/// <summary>
/// A request record's optional value field that may be left out (it stays null) but not sent as JSON null: null is
/// refused as a value of the wrong kind, so the binding failure names the field (<see cref="JsonRequestFailure"/>).
/// </summary>
public sealed class NotNullJsonConverter<T> : JsonConverter<T?> where T : struct
{
    public override bool HandleNull => true;

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null
            // The inner exception marks a value of the wrong kind, as the framework's own converters do.
            ? throw new JsonException(null, new InvalidOperationException("null is not a value of this field"))
            : ((JsonConverter<T>)options.GetConverter(typeof(T))).Read(ref reader, typeof(T), options);

    public override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options)
    {
        if (value is { } present) ((JsonConverter<T>)options.GetConverter(typeof(T))).Write(writer, present, options);
        else writer.WriteNullValue();
    }
}
