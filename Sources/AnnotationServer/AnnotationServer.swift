/// The annotation web app (issue 6): placeholder until the server lands.
public enum AnnotationServerModule {}
