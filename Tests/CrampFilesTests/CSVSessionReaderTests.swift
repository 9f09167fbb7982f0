// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import SystemPackage
import Testing

@Suite struct CSVSessionReaderTests {
    let dir = TestDirectory()

    @Test func readsMultiRateRowsUnitsAndAnnotations() throws {
        let text = """
            # Date: 2024-05-01
            #Scenario: tempo run, calf cramp at the end
            time_s,EMG gastroc L [uV], HR [bpm] ,Cadence [spm],Foot pod,annotation
            0.0000,12.5,,,,
            0.0005,-3.25,142,172,,"tightness gastroc L"

            0.0010, 4 ,,,1e-3,"warm, ""sunny"" day"
            \r
            0.0015,1E2,143,,,  plain text  \r

            """
        let p = try dir.write(text, to: "s.csv")
        let r = try CSVSessionReader(path: p)
        #expect(r.comments == ["Date: 2024-05-01", "Scenario: tempo run, calf cramp at the end"])
        #expect(r.columns.map(\.label) == ["EMG gastroc L", "HR", "Cadence", "Foot pod"])
        #expect(r.columns.map(\.unit) == ["uV", "bpm", "spm", nil])
        #expect(r.columns.map(\.channel) == [.emg(.gastroc, .left), .heartRate, .cadence, nil])
        #expect(r.hasAnnotationColumn)

        var rows: [(Double, [Float?], Annotation?, Int)] = []
        while try r.nextRow() { rows.append((r.timeSeconds, r.values, r.rowAnnotation, r.lineNumber)) }
        #expect(rows.count == 4)
        #expect(rows.map(\.0) == [0, 0.0005, 0.001, 0.0015])
        #expect(rows[0].1 == [12.5, nil, nil, nil])
        #expect(rows[1].1 == [-3.25, 142, 172, nil])
        #expect(rows[2].1 == [4, nil, nil, 0.001])
        #expect(rows[3].1 == [100, 143, nil, nil])
        #expect(rows.map(\.2) == [nil, Annotation(onsetSeconds: 0.0005, text: "tightness gastroc L"),
                                  Annotation(onsetSeconds: 0.001, text: "warm, \"sunny\" day"),
                                  Annotation(onsetSeconds: 0.0015, text: "plain text")])
        #expect(rows.map(\.3) == [4, 5, 7, 9])
        #expect(try CSVSessionReader.readAllAnnotations(path: p).count == 3)
    }

    @Test func annotationColumnIsOptional() throws {
        let r = try CSVSessionReader(path: try dir.write("time_s,HR\n0,60\n1,61", to: "n.csv"))
        #expect(!r.hasAnnotationColumn)
        #expect(try r.nextRow())
        #expect(try r.nextRow())
        #expect(r.values == [61])
        #expect(try !r.nextRow())
    }

    @Test func readsLinesLongerThanTheBuffer() throws {
        let long = String(repeating: "x", count: 100_000)
        var text = "time_s,HR,annotation\n"
        for i in 0..<2000 { text += "\(i),\(60 + i % 50),\(i == 1500 ? long : "")\n" }
        let r = try CSVSessionReader(path: try dir.write(text, to: "long.csv"))
        var n = 0
        while try r.nextRow() {
            if n == 1500 { #expect(r.rowAnnotation?.text.count == 100_000) }
            n += 1
        }
        #expect(n == 2000)
    }

    func error(_ text: String) throws -> CSVError? {
        let p = try dir.write(text, to: "bad.csv")
        do throws(CSVError) {
            let r = try CSVSessionReader(path: p)
            while try r.nextRow() {}
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("", CSVError.Kind.emptyFile, nil as Int?, nil as String?),
        ("# only a comment\n\n", .emptyFile, nil, nil),
        ("t,HR\n0,1\n", .missingTimeColumn, 1, "t"),
        ("HR,time_s\n", .missingTimeColumn, 1, "HR"),
        ("time_s,HR,HR [bpm]\n", .invalidHeader, 1, "HR [bpm]"),
        ("time_s,annotation,HR\n", .invalidHeader, 1, "annotation"),
        ("time_s,,HR\n", .invalidHeader, 1, nil),
        ("time_s,HR\n0,60\n1,NaN\n", .nonFiniteNumber, 3, "HR"),
        ("time_s,HR\n0,inf\n", .nonFiniteNumber, 2, "HR"),
        ("time_s,HR\n0,1e999\n", .nonFiniteNumber, 2, "HR"),
        ("time_s,HR\n0,1e39\n", .nonFiniteNumber, 2, "HR"),
        ("time_s,HR\nnan,60\n", .nonFiniteNumber, 2, "time_s"),
        ("time_s,HR\n0,sixty\n", .invalidNumber, 2, "HR"),
        ("time_s,HR\n0,6 0\n", .invalidNumber, 2, "HR"),
        ("time_s,HR\n,60\n", .invalidNumber, 2, "time_s"),
        ("time_s,HR,Cadence\n0,60\n", .wrongColumnCount, 2, nil),
        ("time_s,HR\n0,60,70\n", .wrongColumnCount, 2, nil),
        ("time_s,HR\n0,60\n1,61\n1,62\n", .timeNotIncreasing, 4, "time_s"),
        ("time_s,HR\n0,60\n1,61\n0.5,62\n", .timeNotIncreasing, 4, "time_s"),
        ("time_s,HR,annotation\n0,60,\"open\n", .unterminatedQuote, 2, nil),
        ("time_s,HR,annotation\n0,60,\"a\"b\n", .unterminatedQuote, 2, nil),
    ])
    func badInput(text: String, kind: CSVError.Kind, line: Int?, column: String?) throws {
        let e = try error(text)
        #expect(e?.kind == kind, "\(e?.description ?? "no error")")
        #expect(e?.line == line)
        #expect(e?.column == column)
    }

    @Test func invalidUTF8IsAnError() throws {
        let p = try dir.write(Array("time_s,HR,annotation\n0,60,".utf8) + [0xC3, 0x28] + [0x0A], to: "u.csv")
        do throws(CSVError) {
            let r = try CSVSessionReader(path: p)
            while try r.nextRow() {}
            Issue.record("no error")
        } catch {
            #expect(error.kind == .invalidUTF8)
            #expect(error.line == 2)
        }
    }

    @Test func errorIsOneLineWithFileLineAndColumn() throws {
        let p = try dir.write("time_s,HR [bpm]\n0,60\n1,NaN\n", to: "nan.csv")
        do throws(CSVError) {
            let r = try CSVSessionReader(path: p)
            while try r.nextRow() {}
            Issue.record("no error")
        } catch {
            #expect(error.description == "crampd: \(p.string): line 3: column \"HR [bpm]\": value is not a finite number; expected a finite decimal number or an empty cell, found \"NaN\"")
        }
    }
}
