namespace Gatehouse.Server.Tests.Reports;

/// <summary>A strict RFC 4180 reader, so the tests read the CSV as a spreadsheet would.</summary>
internal static class Rfc4180
{
    public static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var cell = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        cell.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        cell.Append(text[i++]);
                    }
                }
            }

            while (i < text.Length && text[i] is not (',' or '\r'))
            {
                Assert.NotEqual('"', text[i]); // a quote inside an unquoted field is not RFC 4180
                Assert.NotEqual('\n', text[i]); // a bare line break ends no record
                cell.Append(text[i++]);
            }

            record.Add(cell.ToString());
            cell.Clear();
            if (i < text.Length && text[i] == ',')
            {
                i++;
                continue;
            }

            Assert.Equal("\r\n", text.Substring(i, 2));
            i += 2;
            records.Add(record);
            record = [];
        }

        return records;
    }
}
