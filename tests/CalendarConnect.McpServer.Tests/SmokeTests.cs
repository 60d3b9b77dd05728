namespace CalendarConnect.McpServer.Tests;

public class SmokeTests
{
    [Fact]
    public void Builds() => Assert.True(typeof(SmokeTests).Assembly is not null);
}
