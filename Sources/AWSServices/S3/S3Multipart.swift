import AWSCore
import Foundation

/// Multipart upload: files above the threshold are read and sent one part at a time (memory
/// stays at one part), each with its SHA-256 checksum; a failure aborts the upload.
extension LiveS3Client {
    /// Uploads a file in one PutObject or, above `multipartThreshold`, in parts.
    public func uploadFile(bucket: String, key: String, file: URL, options: S3PutOptions) async throws -> S3PutResult {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let size = Int(try handle.seekToEnd())
        try handle.seek(toOffset: 0)
        if size <= multipartThreshold {
            return try await putObject(bucket: bucket, key: key, body: handle.readToEnd() ?? Data(), options: options)
        }
        let uploadId = try await createMultipartUpload(bucket: bucket, key: key, options: options)
        do {
            var parts: [(number: Int, etag: String, checksum: String)] = []
            var number = 1
            while let chunk = try handle.read(upToCount: partSize), !chunk.isEmpty {
                let checksum = Checksums.sha256Base64(chunk)
                let response = try await call("UploadPart", method: "PUT", bucket: bucket, key: key,
                                              query: [("partNumber", String(number)), ("uploadId", uploadId)],
                                              headers: [("x-amz-checksum-sha256", checksum)], body: chunk)
                parts.append((number, response.header("etag") ?? "", checksum))
                number += 1
            }
            let xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + parts.map {
                "<Part><ChecksumSHA256>\($0.checksum)</ChecksumSHA256><ETag>\(XMLEscape.text($0.etag))</ETag><PartNumber>\($0.number)</PartNumber></Part>"
            }.joined() + "</CompleteMultipartUpload>"
            let response = try await call("CompleteMultipartUpload", method: "POST", bucket: bucket, key: key, query: [("uploadId", uploadId)],
                                          headers: [("Content-Type", "application/xml")] + options.conditionHeaders, body: Data(xml.utf8))
            // S3 can answer 200 with an <Error> body when completion fails late.
            let root = try service.parseXML(response, operation: "CompleteMultipartUpload")
            if root.name == "Error" {
                throw AWSServiceError(code: root.string("Code") ?? "InternalError", message: root.string("Message") ?? "", status: 200,
                                      operation: "S3 CompleteMultipartUpload")
            }
            return S3PutResult(ETag: root.string("ETag"), VersionId: response.header("x-amz-version-id"))
        } catch {
            _ = try? await call("AbortMultipartUpload", method: "DELETE", bucket: bucket, key: key, query: [("uploadId", uploadId)])
            throw error
        }
    }

    /// CreateMultipartUpload with the SHA-256 checksum algorithm; returns the upload id.
    func createMultipartUpload(bucket: String, key: String, options: S3PutOptions) async throws -> String {
        let response = try await call("CreateMultipartUpload", method: "POST", bucket: bucket, key: key, query: [("uploads", "")],
                                      headers: options.headers + [("x-amz-checksum-algorithm", "SHA256")], idempotent: false)
        guard let uploadId = try service.parseXML(response, operation: "CreateMultipartUpload").string("UploadId") else {
            throw AWSServiceError(code: "InvalidResponse", message: "no UploadId in the answer", status: response.status,
                                  operation: "S3 CreateMultipartUpload", retryKind: .client)
        }
        return uploadId
    }
}
