namespace CalendarConnect.Testing;

/// <summary>
/// One table of company emails and whether they are acceptable, checked against the backend's rule and the MCP server's
/// (issue 11, item 20): both services must give the same answer for every row, so the backend never saves an email
/// the MCP server then refuses.
/// </summary>
public static class EmailAddressCases
{
    public static readonly (string Email, bool Valid)[] All =
    [
        ("contacto@empresa-abc.com", true),
        ("ana.maria@empresa.com.ar", true),
        ("Contacto@Empresa-ABC.com", true),
        ("a@b.co", true),
        ("ana+turnos@empresa.com", true),
        ("o'brien@empresa.ie", true),
        ("x_y-z@sub.dominio.example", true),
        ("1234@123.45", true),
        (new string('a', 64) + "@empresa.com", true),
        ("ab@" + string.Join(".", Enumerable.Repeat(new string('d', 61), 4)) + ".com", true), // 254 characters
        (".ana@empresa.com", false),
        ("ana.@empresa.com", false),
        ("ana..maria@empresa.com", false),
        ("ana@empresa", false),
        ("ana@.empresa.com", false),
        ("ana@empresa..com", false),
        ("ana@empresa.com.", false),
        ("ana@-empresa.com", false),
        ("ana@empresa-.com", false),
        ("ana@", false),
        ("@empresa.com", false),
        ("ana", false),
        ("ana@@empresa.com", false),
        ("ana maria@empresa.com", false),
        ("\"ana maria\"@empresa.com", false),
        ("Ana <ana@empresa.com>", false),
        ("ana@[127.0.0.1]", false),
        ("josé@empresa.com", false),
        ("ana@empresá.com", false),
        ("ana@empresa.com\n", false),
        ("ana\u202e@empresa.com", false),
        (new string('a', 65) + "@empresa.com", false),
        ("abc@" + string.Join(".", Enumerable.Repeat(new string('d', 61), 4)) + ".com", false), // 255 characters
        ("ana@" + new string('d', 64) + ".com", false),
        ("", false),
    ];
}
