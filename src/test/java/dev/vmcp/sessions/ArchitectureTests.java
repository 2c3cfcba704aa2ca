package dev.vmcp.sessions;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape the design asks for: no package cycles, and the web layer never touches
 * Redis.
 */
@AnalyzeClasses(packages = "dev.vmcp.sessions", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("dev.vmcp.sessions.(*)..").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule webDoesNotDependOnRedis = noClasses().that()
		.resideInAPackage("..web..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework.data.redis..", "io.lettuce..", "dev.vmcp.sessions.redis..");

	@ArchTest
	static final ArchRule sessionCoreDoesNotDependOnWebOrSpringMvc = noClasses().that()
		.resideInAPackage("dev.vmcp.sessions.session..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.vmcp.sessions.web..", "org.springframework.web..", "jakarta.servlet..");

}
